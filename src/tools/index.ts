import { askTool } from './ask.js';
import { checkTool } from './check.js';
import { citeTool } from './cite.js';
import { getDocumentTool } from './get-document.js';
import { linksTool } from './links.js';
import { listDocumentsTool } from './list-documents.js';
import { quoteTool } from './quote.js';
import { relatedTool } from './related.js';
import { listRootsTool, removeRootTool } from './roots.js';
import { searchTool } from './search.js';
import { statsTool } from './stats.js';
import { timelineTool } from './timeline.js';

/** Every tool, in the order front ends list them. `ask` is the offline overview and `stats` describes the index; the rest are the agent tools. */
export const TOOLS = [
  searchTool,
  quoteTool,
  citeTool,
  getDocumentTool,
  relatedTool,
  checkTool,
  timelineTool,
  linksTool,
  listDocumentsTool,
  statsTool,
  listRootsTool,
  removeRootTool,
  askTool,
] as const;

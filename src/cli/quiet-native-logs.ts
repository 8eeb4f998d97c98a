// Before any import that could load LanceDB (ES modules evaluate imports in order).
import { quietNativeLogs } from '../config/env.js';

quietNativeLogs();

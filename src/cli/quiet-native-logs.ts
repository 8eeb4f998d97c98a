// LanceDB's native logger reads LANCEDB_LOG once, when it loads: keep its routine warnings
// ("No existing dataset … it will be created") off users' terminals unless they ask for them.
process.env.LANCEDB_LOG ??= 'error';

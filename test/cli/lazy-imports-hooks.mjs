// Loader hooks for test/cli/lazy-imports.test.ts: report every package a process loads.
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/node_modules/')) process.stderr.write(`LOADED ${result.url}\n`);
  return result;
}

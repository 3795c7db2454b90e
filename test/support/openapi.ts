import { execFile } from 'node:child_process';

/**
 * Validates an OpenAPI document with @apidevtools/swagger-parser in a child Node process:
 * the parser loads ESM-only dependencies, which Node requires natively but jest's module
 * runtime cannot. Resolves with the validator's error messages (empty when valid).
 */
export function validateOpenApi(document: unknown): Promise<string> {
  const script = `
    let text = '';
    process.stdin.on('data', (c) => (text += c)).on('end', () =>
      require('@apidevtools/swagger-parser').validate(JSON.parse(text)).then(() => process.exit(0), (e) => { process.stdout.write(String(e.message)); process.exit(0); }));`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: process.cwd() }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin?.end(JSON.stringify(document));
  });
}

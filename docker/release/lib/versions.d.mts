// Types of versions.mjs for the TypeScript tests.
export function compareVersions(a: string, b: string): number;
export function newestStableTailscale(list: string): string | undefined;
export function newestGoRelease(list: string, goLine: string): string | undefined;

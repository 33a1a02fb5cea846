// Types of image-layout.mjs for the TypeScript tests.
export const PLATFORMS: readonly string[];
export function platformKey(platform: { os?: string; architecture?: string; variant?: string }): string;
export function readLayoutImage(layout: string, variant: string): { ok: true; configs: Record<string, string> } | { ok: false; why: string };
export function sameConfigs(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean;
export function readPins(path: string): Record<string, string>;

// Types of image-sizes.mjs for the TypeScript tools.
export interface ImageSizeRow {
  readonly arch: string;
  readonly variant: string;
  readonly archiveBytes: number;
  readonly extractedBytes: number;
}
export function extractedBytes(tar: Buffer): number;
export function imageSizeRows(dist: string): ImageSizeRow[];

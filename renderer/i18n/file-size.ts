// A file size as people read it, the same in every language here (Chinese writing keeps B, KB and MB in
// Latin): whole bytes under 1 KB, whole KB under 1 MB, else MB with one decimal. 1 KB = 1,024 bytes.
export function fileSize(bytes: number, num: (n: number) => string): string {
  if (bytes < 1024) return `${num(bytes)} B`;
  if (bytes < 1024 * 1024) return `${num(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

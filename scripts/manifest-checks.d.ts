// Types for manifest-checks.js, so TypeScript tests can import it.
export interface CheckResult {
  name: string;
  ok: boolean;
  details: string[];
}
export function checkManifest(xmlText: string, options: { assetsDir: string }): Promise<CheckResult[]>;
export function pngSize(buffer: Buffer): { width: number; height: number } | null;
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}
export function parseXml(text: string): Promise<XmlNode>;
export const REQUIRED_SETS: Record<string, string>;

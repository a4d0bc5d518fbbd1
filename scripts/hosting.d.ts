// Types for hosting.js, so TypeScript tests can import it.
export const DEV_URL: string;
export const HOSTING_HEADERS: Record<string, string>;
export function productionBaseUrl(value?: string): string | null;
export function manifestForProduction(xml: string, baseUrl: string): string;

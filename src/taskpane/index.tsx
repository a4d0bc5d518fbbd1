import { createRoot } from 'react-dom/client';
import { OfficeWorkbook } from '../workbook/office';
import { App } from './App';
import type { Environment } from './environment';
import { detectLanguage } from './i18n';

/** How long to wait for Office before starting as the browser version. */
const OFFICE_TIMEOUT_MS = 3000;
const SAMPLE_URL = './assets/sample-customers.xlsx';

interface Start {
  environment: Environment;
  officeLanguage?: string;
}

function officeLoaded(): boolean {
  return typeof Office !== 'undefined' && typeof Office.onReady === 'function';
}

/**
 * Excel when office.js loaded and reports Excel as host; otherwise (no office.js, offline, a
 * plain browser, or no answer in time) the browser version.
 */
async function detectEnvironment(): Promise<Start> {
  const browser: Start = { environment: { kind: 'browser', sampleUrl: SAMPLE_URL } };
  if (!officeLoaded()) return browser;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), OFFICE_TIMEOUT_MS));
  const info = await Promise.race([Office.onReady(), timeout]).catch(() => null);
  if (info?.host !== Office.HostType.Excel) return browser;
  return { environment: { kind: 'office', port: new OfficeWorkbook() }, officeLanguage: Office.context.displayLanguage };
}

async function start(): Promise<void> {
  const { environment, officeLanguage } = await detectEnvironment();
  const container = document.getElementById('container');
  if (!container) throw new Error('taskpane.html has no #container element.');
  createRoot(container).render(<App environment={environment} initialLanguage={detectLanguage(officeLanguage, navigator.language)} />);
}

void start();

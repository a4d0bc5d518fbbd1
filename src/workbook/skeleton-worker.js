// Loads everything of an .xlsx file but its cells (ExcelJS with sheetData ignored) on a second
// core, while the main thread streams the cells; hands back the workbook's plain-data model.
const { parentPort, workerData } = require('node:worker_threads');
const ExcelJS = require('exceljs');

const workbook = new ExcelJS.Workbook();
workbook.xlsx
  .readFile(workerData.file, { ignoreNodes: ['sheetData'] })
  .then(() => parentPort.postMessage({ model: workbook.model }))
  .catch((error) => parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) }));

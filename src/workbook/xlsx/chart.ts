import { columnLetter } from '../../engine';
import type { ChartSpec, PlanCell, PlannedSheet } from '../plan';
import { escapeXml } from './cell-xml';
import { RELATIONSHIP_TYPES, relativeTarget, relsPartName } from './rels';
import { PACKAGE_RELATIONSHIPS_NAMESPACE, RELATIONSHIPS_NAMESPACE, XML_DECLARATION } from './xml';

const CHART_NAMESPACE = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const DRAWINGML_NAMESPACE = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const SPREADSHEET_DRAWING_NAMESPACE = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';


/** A chart covers eight columns and fifteen rows from its anchor cell, as on the Office path. */
const CHART_COLUMNS = 8;
const CHART_ROWS = 15;
/** The bars' color where a category has no tier color (Okabe–Ito sky blue). */
const DEFAULT_BAR_COLOR = '56B4E9';
const CATEGORY_AXIS_ID = 1001;
const VALUE_AXIS_ID = 1002;

export interface ChartPart {
  /** Part name inside the package, without a leading slash: 'xl/charts/chart1.xml'. */
  path: string;
  xml: string;
}

export interface SheetChartParts {
  /** The drawing part ('xl/drawings/drawingN.xml') with one anchored frame per chart. */
  drawing: ChartPart;
  /** The drawing's relationships ('xl/drawings/_rels/drawingN.xml.rels'), rId1… to the charts in order. */
  drawingRels: ChartPart;
  charts: ChartPart[];
}

/** The charts of a sheet that have at least one category row: the ones that get a chart part. */
export function drawnCharts(sheet: PlannedSheet): ChartSpec[] {
  return sheet.charts.filter((chart) => chart.toRow >= chart.fromRow);
}

/**
 * The parts that put a sheet's charts into a package: one chart part per drawn chart, the sheet's
 * drawing part anchoring each chart over its cells, and the drawing's relationships. The caller
 * adds the content-type overrides (CONTENT_TYPES.chart, CONTENT_TYPES.drawing), a relationship of
 * RELATIONSHIP_TYPES.drawing from the sheet to the drawing, and `<drawing r:id>` in the sheet
 * (plannedSheetChunks' drawingRelId).
 *
 * @param drawingPath the drawing's part name, such as 'xl/drawings/drawing1.xml'
 * @param chartPath the part name of the sheet's n-th drawn chart (0-based), such as
 *   n => `xl/charts/chart${n + 1}.xml`; names must be free in the package
 * @returns null when the sheet has no chart to draw
 */
export function sheetChartParts(sheet: PlannedSheet, drawingPath: string, chartPath: (index: number) => string): SheetChartParts | null {
  const specs = drawnCharts(sheet);
  if (specs.length === 0) return null;
  const charts = specs.map((spec, index) => ({ path: chartPath(index), xml: chartSpaceXml(spec, sheet) }));
  const relationships = charts.map((chart, index) => `<Relationship Id="rId${index + 1}" Type="${RELATIONSHIP_TYPES.chart}" Target="${escapeXml(relativeTarget(drawingPath, chart.path))}"/>`);
  return {
    drawing: { path: drawingPath, xml: drawingXml(specs) },
    drawingRels: { path: relsPartName(drawingPath), xml: `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS_NAMESPACE}">${relationships.join('')}</Relationships>` },
    charts,
  };
}


/**
 * A chart part (DrawingML `c:chartSpace`, ECMA-376 Part 1, 21.2): a clustered column chart of the
 * spec's value column against its category column, with the title and no legend. The series
 * references the sheet's cells, so the chart follows edits; the cells' current values are cached
 * (c:strCache, c:numCache) so a reader that does not recalculate still draws the bars. A bar whose
 * category is a tier gets that tier's color.
 */
export function chartSpaceXml(spec: ChartSpec, sheet: PlannedSheet): string {
  if (spec.kind === 'line') return lineChartSpaceXml(spec, sheet);
  const categories: PlanCell[] = [];
  const values: PlanCell[] = [];
  for (let row = spec.fromRow; row <= spec.toRow; row++) {
    categories.push(sheet.rows[row]?.[spec.categoryColumn] ?? null);
    values.push(sheet.rows[row]?.[spec.valueColumn] ?? null);
  }
  const valueFormat = sheet.numberFormats.find((range) => range.column === spec.valueColumn && spec.fromRow >= range.fromRow && spec.fromRow <= range.toRow)?.format ?? 'General';
  const categoryPoints = categories.map((value, index) => (value === null ? '' : `<c:pt idx="${index}"><c:v>${escapeXml(String(value))}</c:v></c:pt>`));
  const valuePoints = values.map((value, index) => (typeof value === 'number' && Number.isFinite(value) ? `<c:pt idx="${index}"><c:v>${value}</c:v></c:pt>` : ''));
  const series = '<c:ser><c:idx val="0"/><c:order val="0"/>'
    + `<c:tx><c:v>${escapeXml(spec.seriesName)}</c:v></c:tx>`
    + `<c:spPr>${solidFill(DEFAULT_BAR_COLOR)}</c:spPr><c:invertIfNegative val="0"/>`
    + tierPoints(spec, sheet, categories)
    + `<c:cat><c:strRef><c:f>${escapeXml(rangeReference(sheet.name, spec.fromRow, spec.toRow, spec.categoryColumn))}</c:f>`
    + `<c:strCache><c:ptCount val="${categories.length}"/>${categoryPoints.join('')}</c:strCache></c:strRef></c:cat>`
    + `<c:val><c:numRef><c:f>${escapeXml(rangeReference(sheet.name, spec.fromRow, spec.toRow, spec.valueColumn))}</c:f>`
    + `<c:numCache><c:formatCode>${escapeXml(valueFormat)}</c:formatCode><c:ptCount val="${values.length}"/>${valuePoints.join('')}</c:numCache></c:numRef></c:val>`
    + '</c:ser>';
  return `${XML_DECLARATION}<c:chartSpace xmlns:c="${CHART_NAMESPACE}" xmlns:a="${DRAWINGML_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}">`
    + '<c:roundedCorners val="0"/><c:chart>'
    + `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1400" b="1"/><a:t>${escapeXml(spec.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`
    + '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
    + `<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="80"/>`
    + `<c:axId val="${CATEGORY_AXIS_ID}"/><c:axId val="${VALUE_AXIS_ID}"/></c:barChart>`
    + `<c:catAx><c:axId val="${CATEGORY_AXIS_ID}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>`
    + '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    + `<c:crossAx val="${VALUE_AXIS_ID}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`
    + `<c:valAx><c:axId val="${VALUE_AXIS_ID}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>`
    + `<c:numFmt formatCode="${escapeXml(valueFormat)}" sourceLinked="1"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>`
    + `<c:crossAx val="${CATEGORY_AXIS_ID}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`
    + '</c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>';
}

/** Okabe–Ito blue and vermillion, then orange and bluish green: lines colour-blind readers tell apart. */
const LINE_COLORS = ['0072B2', 'D55E00', 'E69F00', '009E73'];

/**
 * A line chart with markers (c:lineChart), one series per value column (spec.valueColumn, then
 * spec.moreSeries) over the category column, with a legend below: the holdout check's predicted
 * and actual lines. Values are cached as in the column chart.
 */
function lineChartSpaceXml(spec: ChartSpec, sheet: PlannedSheet): string {
  const rows = Array.from({ length: spec.toRow - spec.fromRow + 1 }, (_, index) => spec.fromRow + index);
  const categories = rows.map((row) => sheet.rows[row]?.[spec.categoryColumn] ?? null);
  const categoryPoints = categories.map((value, index) => (value === null ? '' : `<c:pt idx="${index}"><c:v>${escapeXml(String(value))}</c:v></c:pt>`)).join('');
  const categoryXml = `<c:cat><c:strRef><c:f>${escapeXml(rangeReference(sheet.name, spec.fromRow, spec.toRow, spec.categoryColumn))}</c:f>`
    + `<c:strCache><c:ptCount val="${categories.length}"/>${categoryPoints}</c:strCache></c:strRef></c:cat>`;
  const all = [{ valueColumn: spec.valueColumn, seriesName: spec.seriesName }, ...(spec.moreSeries ?? [])];
  const series = all.map(({ valueColumn, seriesName }, index) => {
    const points = rows.map((row, k) => {
      const value = sheet.rows[row]?.[valueColumn];
      return typeof value === 'number' && Number.isFinite(value) ? `<c:pt idx="${k}"><c:v>${value}</c:v></c:pt>` : '';
    }).join('');
    const color = LINE_COLORS[index % LINE_COLORS.length];
    return `<c:ser><c:idx val="${index}"/><c:order val="${index}"/><c:tx><c:v>${escapeXml(seriesName)}</c:v></c:tx>`
      + `<c:spPr><a:ln w="28575" cap="rnd">${solidFill(color)}<a:round/></a:ln></c:spPr>`
      + `<c:marker><c:symbol val="circle"/><c:size val="6"/><c:spPr>${solidFill(color)}</c:spPr></c:marker>`
      + categoryXml
      + `<c:val><c:numRef><c:f>${escapeXml(rangeReference(sheet.name, spec.fromRow, spec.toRow, valueColumn))}</c:f>`
      + `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${rows.length}"/>${points}</c:numCache></c:numRef></c:val>`
      + '<c:smooth val="0"/></c:ser>';
  }).join('');
  return `${XML_DECLARATION}<c:chartSpace xmlns:c="${CHART_NAMESPACE}" xmlns:a="${DRAWINGML_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}">`
    + '<c:roundedCorners val="0"/><c:chart>'
    + `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1400" b="1"/><a:t>${escapeXml(spec.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`
    + '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
    + `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>`
    + `<c:axId val="${CATEGORY_AXIS_ID}"/><c:axId val="${VALUE_AXIS_ID}"/></c:lineChart>`
    + `<c:catAx><c:axId val="${CATEGORY_AXIS_ID}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>`
    + '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    + `<c:crossAx val="${VALUE_AXIS_ID}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`
    + `<c:valAx><c:axId val="${VALUE_AXIS_ID}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>`
    + '<c:numFmt formatCode="0.0" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    + `<c:crossAx val="${CATEGORY_AXIS_ID}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`
    + '</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>';
}

/** One c:dPt per bar whose category cell is a tier with a color on the sheet. */
function tierPoints(spec: ChartSpec, sheet: PlannedSheet, categories: readonly PlanCell[]): string {
  const points: string[] = [];
  categories.forEach((category, index) => {
    const row = spec.fromRow + index;
    const range = sheet.tierColorRanges.find((candidate) => candidate.column === spec.categoryColumn && row >= candidate.fromRow && row <= candidate.toRow);
    const color = range?.colors.find((candidate) => candidate.value === category);
    if (color) points.push(`<c:dPt><c:idx val="${index}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/><c:spPr>${solidFill(color.fill.replace('#', ''))}</c:spPr></c:dPt>`);
  });
  return points.join('');
}

function solidFill(rgb: string): string {
  return `<a:solidFill><a:srgbClr val="${escapeXml(rgb.toUpperCase())}"/></a:solidFill>`;
}

/**
 * The drawing part (ECMA-376 Part 1, 20.5): each chart in a graphic frame anchored to cells from
 * its anchor, so it moves and resizes with the cells under it.
 */
function drawingXml(specs: readonly ChartSpec[]): string {
  const anchors = specs.map((spec, index) => '<xdr:twoCellAnchor>'
    + `<xdr:from><xdr:col>${spec.anchorColumn}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${spec.anchorRow}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>`
    + `<xdr:to><xdr:col>${spec.anchorColumn + CHART_COLUMNS}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${spec.anchorRow + CHART_ROWS}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>`
    + `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${index + 2}" name="${escapeXml(`Chart ${index + 1}`)}" descr="${escapeXml(spec.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>`
    + '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
    + `<a:graphic><a:graphicData uri="${CHART_NAMESPACE}"><c:chart xmlns:c="${CHART_NAMESPACE}" r:id="rId${index + 1}"/></a:graphicData></a:graphic>`
    + '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>');
  return `${XML_DECLARATION}<xdr:wsDr xmlns:xdr="${SPREADSHEET_DRAWING_NAMESPACE}" xmlns:a="${DRAWINGML_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}">${anchors.join('')}</xdr:wsDr>`;
}

/** An absolute reference to one column's rows on a sheet: 'Summary'!$E$5:$E$8. */
function rangeReference(sheetName: string, fromRow: number, toRow: number, column: number): string {
  const letter = columnLetter(column);
  return `'${sheetName.replace(/'/g, "''")}'!$${letter}$${fromRow + 1}:$${letter}$${toRow + 1}`;
}


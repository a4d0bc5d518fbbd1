import { decodeXstring } from './sheet-read';
import { LIMITS, type ZipArchive } from './zip';
import { ownString, XmlStream } from './xml';

/**
 * The shared string table (xl/sharedStrings.xml): one string per `<si>`, rich-text runs joined,
 * phonetic runs (`<rPh>`) left out as Excel shows them. Streamed, so a large table costs its
 * strings, not its XML.
 */
export function readSharedStrings(archive: ZipArchive, partName: string | undefined): string[] {
  const entry = partName ? archive.get(partName) : undefined;
  if (!entry) return [];
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  let phoneticDepth = 0;
  const stream = new XmlStream(entry.name, {
    open(tag, local) {
      if (local === 'si') current = [];
      else if (local === 'rPh') phoneticDepth++;
      else if (local === 't' && phoneticDepth === 0 && !tag.isSelfClosing) inText = true;
    },
    close(local) {
      if (local === 'si' && current) { strings.push(ownString(decodeXstring(current.join('')))); current = null; }
      else if (local === 'rPh') phoneticDepth--;
      else if (local === 't') inText = false;
    },
    text(text) {
      if (inText && current) current.push(text);
    },
  });
  const decoder = new TextDecoder('utf-8');
  archive.inflate(entry, (chunk) => stream.write(decoder.decode(chunk, { stream: true })), LIMITS.textPartBytes);
  stream.write(decoder.decode());
  stream.close();
  return strings;
}

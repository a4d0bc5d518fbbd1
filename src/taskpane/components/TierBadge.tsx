import { Badge } from '@fluentui/react-components';
import { tierName, type Language, type TierDefinition } from '../../engine';

/** A tier in the colors the workbook will show it in, named as the workbook writes it in that language (Gold / Guld), or another text. */
export function TierBadge(props: { tier: TierDefinition; language: Language; text?: string }) {
  const { tier, language, text } = props;
  return (
    <Badge appearance="filled" shape="rounded" style={{ backgroundColor: tier.fill, color: tier.font }}>{text ?? tierName(tier, language)}</Badge>
  );
}

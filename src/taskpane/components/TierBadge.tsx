import { Badge } from '@fluentui/react-components';
import type { TierDefinition } from '../../engine';

/** A tier in the colors the workbook will show it in: its id, or another text (a tier name in the UI language). */
export function TierBadge(props: { tier: TierDefinition; text?: string }) {
  const { tier, text } = props;
  return (
    <Badge appearance="filled" shape="rounded" style={{ backgroundColor: tier.fill, color: tier.font }}>{text ?? tier.id}</Badge>
  );
}

import { Badge } from '@fluentui/react-components';
import type { TierDefinition } from '../../engine';

/** A tier in the colors the workbook will show it in. */
export function TierBadge(props: { tier: TierDefinition }) {
  const { tier } = props;
  return (
    <Badge appearance="filled" shape="rounded" style={{ backgroundColor: tier.fill, color: tier.font }}>{tier.id}</Badge>
  );
}

import { Badge, makeStyles } from '@fluentui/react-components';
import { tierName, type Language, type TierDefinition } from '../../engine';

const useStyles = makeStyles({
  // A long name ("Kræver opmærksomhed") wraps inside the badge, which grows with it, instead of
  // running out of a fixed-height badge over the text below.
  badge: { height: 'auto', minHeight: '20px', maxWidth: '100%', whiteSpace: 'normal', overflowWrap: 'break-word', textAlign: 'left', paddingTop: '1px', paddingBottom: '1px' },
});

/** A tier in the colors the workbook will show it in, named as the workbook writes it in that language (Gold / Guld), or another text. */
export function TierBadge(props: { tier: TierDefinition; language: Language; text?: string }) {
  const { tier, language, text } = props;
  const styles = useStyles();
  return (
    <Badge className={styles.badge} appearance="filled" shape="rounded" style={{ backgroundColor: tier.fill, color: tier.font }}>{text ?? tierName(tier, language)}</Badge>
  );
}

import { Caption1, Dropdown, makeStyles, Option, Subtitle1, tokens } from '@fluentui/react-components';
import type { Language } from '../../engine';
import type { Translate } from '../i18n';

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', da: 'Dansk' };

const useStyles = makeStyles({
  header: {
    display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  titles: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  language: { minWidth: '110px', width: '110px' },
});

export function Header(props: { t: Translate; language: Language; onLanguage: (language: Language) => void }) {
  const { t, language, onLanguage } = props;
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <div className={styles.titles}>
        <Subtitle1 as="h1">{t('appTitle')}</Subtitle1>
        <Caption1>{t('tagline')}</Caption1>
      </div>
      <Dropdown
        className={styles.language}
        aria-label={t('language')}
        value={LANGUAGE_NAMES[language]}
        selectedOptions={[language]}
        onOptionSelect={(_, data) => data.optionValue && onLanguage(data.optionValue as Language)}
      >
        {(Object.keys(LANGUAGE_NAMES) as Language[]).map((code) => (
          <Option key={code} value={code}>{LANGUAGE_NAMES[code]}</Option>
        ))}
      </Dropdown>
    </header>
  );
}

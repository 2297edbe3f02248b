import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Lang } from '../i18n';

/** 中文 / English; the choice is remembered on this device. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const current = i18n.language as Lang;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: [
          { key: 'zh-CN', label: <span data-testid="lang-zh">{t('lang.zh')}</span> },
          { key: 'en-US', label: <span data-testid="lang-en">{t('lang.en')}</span> },
        ],
        onClick: ({ key }) => setLanguage(key as Lang),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch" aria-label={t('lang.switch')} className="touch">
        {compact ? null : t('lang.short')}
      </Button>
    </Dropdown>
  );
}

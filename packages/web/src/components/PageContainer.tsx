import { Flex, Grid, Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Phones: below md (768 px). */
export function useIsMobile(): boolean {
  const bp = Grid.useBreakpoint();
  return !bp.md;
}

/** Pro-style page frame: title, one line of context, actions on the right (wrapping under on phones). */
export function PageContainer(props: { title: ReactNode; subTitle?: ReactNode; extra?: ReactNode; children: ReactNode; testId?: string }) {
  const mobile = useIsMobile();
  const { t } = useTranslation();
  const docTitle = typeof props.title === 'string' ? props.title : undefined;
  useEffect(() => {
    document.title = docTitle ? `${docTitle} · ${t('app.name')}` : t('app.name');
  }, [docTitle, t]);
  return (
    <div className="page" data-testid={props.testId}>
      <Flex justify="space-between" align={mobile ? 'stretch' : 'center'} vertical={mobile} gap={12} style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={mobile ? 4 : 3} style={{ margin: 0 }}>
            {props.title}
          </Typography.Title>
          {typeof props.subTitle === 'string' ? (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {props.subTitle}
            </Typography.Text>
          ) : props.subTitle ? (
            <div style={{ marginTop: 4 }}>{props.subTitle}</div>
          ) : null}
        </div>
        {props.extra ? (
          <Flex gap={8} wrap="wrap" justify={mobile ? 'flex-start' : 'flex-end'}>
            {props.extra}
          </Flex>
        ) : null}
      </Flex>
      {props.children}
    </div>
  );
}

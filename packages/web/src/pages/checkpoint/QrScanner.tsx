import { Alert, Button, Typography } from 'antd';
import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The phone's back camera read frame by frame with jsQR (no upload: decoding happens on the device). Calls
 * `onCode` once per code it sees, then waits for the next distinct code; stops the camera when unmounted.
 */
export function QrScanner({ onCode, onClose }: { onCode: (text: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState(false);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let frame = 0;
    let last = '';
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      const v = video.current;
      const c = canvas.current;
      if (v && c && v.readyState >= 2 && v.videoWidth > 0) {
        // Decode a downscaled frame: enough pixels for a phone-screen QR, little work per frame.
        const scale = Math.min(1, 640 / v.videoWidth);
        c.width = Math.round(v.videoWidth * scale);
        c.height = Math.round(v.videoHeight * scale);
        const ctx = c.getContext('2d', { willReadFrequently: true });
        if (ctx) {
          ctx.drawImage(v, 0, 0, c.width, c.height);
          const image = ctx.getImageData(0, 0, c.width, c.height);
          const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
          if (found?.data && found.data !== last) {
            last = found.data;
            onCodeRef.current(found.data);
          }
        }
      }
      frame = window.setTimeout(tick, 150);
    };
    if (!navigator.mediaDevices?.getUserMedia) {
      setError(true);
      return undefined;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false })
      .then((s) => {
        if (stopped) {
          s.getTracks().forEach((tr) => tr.stop());
          return;
        }
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().catch(() => undefined);
        }
        tick();
      })
      .catch(() => setError(true));
    return () => {
      stopped = true;
      window.clearTimeout(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  if (error) return <Alert type="warning" showIcon title={t('places.checkpoint.cameraDenied')} data-testid="camera-denied" action={<Button size="small" onClick={onClose}>{t('common.close')}</Button>} />;
  return (
    <div className="qr-scanner" data-testid="qr-scanner">
      <video ref={video} playsInline muted style={{ width: '100%', maxHeight: 360, objectFit: 'cover', borderRadius: 8, background: '#000' }} />
      <canvas ref={canvas} style={{ display: 'none' }} />
      <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', marginTop: 4 }}>
        {t('places.checkpoint.cameraHint')}
      </Typography.Text>
    </div>
  );
}

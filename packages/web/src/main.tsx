import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import { Root } from './App';
import { registerServiceWorker } from './offline/register-sw';

// Installable, and the app shell opens offline (the grid worker's visit form).
registerServiceWorker();

const el = document.getElementById('root');
if (el) {
  createRoot(el).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickApiClient } from './api-client';
import { App } from './App';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const client = pickApiClient({
  bridge: window.nocturnal,
  location: window.location,
  fetch: (input, init) => window.fetch(input, init),
  openEvents: (url) => new EventSource(url),
});

createRoot(container).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);

/** Renderer entry: zod's CSP-safe mode, error reporting to main's log, global styles, then the app. */
import './lib/zod-config';
import { mount } from 'svelte';
import App from './App.svelte';
import { getBridge } from './lib/bridge';
import { installErrorReporting } from './lib/error-report';
import './app.css';

// Before mounting, so that an error while the app builds itself is in the log too.
const bridge = getBridge();
if (bridge) installErrorReporting(window, (report) => bridge.reportRendererError(report));

const target = document.getElementById('app');
if (!target) throw new Error('index.html: expected an element with id "app"');

/** The mounted app (exported so tooling can reach it; nothing else uses it). */
export default mount(App, { target });

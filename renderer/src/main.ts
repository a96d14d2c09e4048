/** Renderer entry: zod's CSP-safe mode, global styles, then the app. */
import './lib/zod-config';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html: expected an element with id "app"');

/** The mounted app (exported so tooling can reach it; nothing else uses it). */
export default mount(App, { target });

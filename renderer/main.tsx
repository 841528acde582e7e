// Entry point of the queue window: mounts the app on top of window.signoff.
import { render } from 'preact';
import { App } from './app';
import { getBridge } from './bridge-types';
import { createNavigationInbox } from './navigation-inbox';

const bridge = getBridge();
// Subscribed before the first render, so a notification click that opened the window is not missed.
const inbox = bridge ? createNavigationInbox(bridge) : null;
const root = document.getElementById('app');
if (root) render(<App bridge={bridge} inbox={inbox} />, root);

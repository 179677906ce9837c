import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

bootstrapApplication(App, appConfig).catch((error: unknown) => {
  // Nothing else can report a failed bootstrap: the page would stay blank.
  document.body.textContent = `The console failed to start: ${error instanceof Error ? error.message : String(error)}`;
});

import type { Routes } from '@angular/router';
import { signedInGuard, signedOutGuard } from './core/auth/auth.guard';

/** Every feature is a lazy chunk; the signed-in pages share the shell (menu, bot switch, language). */
export const routes: Routes = [
  { path: 'login', canActivate: [signedOutGuard], loadComponent: () => import('./features/auth/pages/login-page').then((m) => m.LoginPage) },
  { path: 'register', canActivate: [signedOutGuard], loadComponent: () => import('./features/auth/pages/register-page').then((m) => m.RegisterPage) },
  { path: 'check-email', loadComponent: () => import('./features/auth/pages/check-email-page').then((m) => m.CheckEmailPage) },
  {
    path: 'forgot-password',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/auth/pages/forgot-password-page').then((m) => m.ForgotPasswordPage),
  },
  { path: 'reset-password', loadComponent: () => import('./features/auth/pages/reset-password-page').then((m) => m.ResetPasswordPage) },
  { path: 'verify-email', loadComponent: () => import('./features/auth/pages/verify-email-page').then((m) => m.VerifyEmailPage) },
  {
    path: '',
    canActivate: [signedInGuard],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: 'inbox', loadComponent: () => import('./features/inbox/pages/inbox-page').then((m) => m.InboxPage) },
      { path: 'orders', loadComponent: () => import('./features/sales/pages/orders-page').then((m) => m.OrdersPage) },
      { path: 'products', loadComponent: () => import('./features/sales/pages/products-page').then((m) => m.ProductsPage) },
      { path: 'agent', loadComponent: () => import('./features/agent/pages/agent-page').then((m) => m.AgentPage) },
      { path: 'tools', loadComponent: () => import('./features/tools/pages/tools-page').then((m) => m.ToolsPage) },
      { path: 'contacts', loadComponent: () => import('./features/contacts/pages/contacts-page').then((m) => m.ContactsPage) },
      { path: 'files', loadComponent: () => import('./features/files/pages/files-page').then((m) => m.FilesPage) },
      { path: 'test', loadComponent: () => import('./features/sandbox/pages/test-agent-page').then((m) => m.TestAgentPage) },
      {
        path: 'appointments',
        loadComponent: () => import('./features/appointments/pages/appointments-page').then((m) => m.AppointmentsPage),
      },
      {
        path: 'availability',
        loadComponent: () => import('./features/appointments/pages/availability-page').then((m) => m.AvailabilityPage),
      },
      { path: 'instances', loadComponent: () => import('./features/onboarding/pages/instances-page').then((m) => m.InstancesPage) },
      { path: '', pathMatch: 'full', redirectTo: 'inbox' },
    ],
  },
  { path: '**', redirectTo: '' },
];

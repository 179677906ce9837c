export * from './product-search.ts';
export * from './orders.ts';
export * from './customer-notice.ts';

/** Error boundaries: one per node card, one per page and panel. */
export { CardBoundary, CardFallback, type CardBoundaryProps, type CardFallbackProps } from './CardBoundary';
export { PageBoundary, type PageBoundaryProps } from './PageBoundary';
export { errorMessage, MAX_ERROR_MESSAGE_LENGTH } from './errorMessage';

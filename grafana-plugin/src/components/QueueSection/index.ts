export { QueueSection, type QueueSectionProps } from './QueueSection';

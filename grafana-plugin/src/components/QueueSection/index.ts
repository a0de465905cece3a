export { QueueSection, type QueueSectionProps } from './QueueSection';
export { QueueHistoryContext } from './QueueHistoryContext';
export { QueueSparklines, type QueueSparklinesProps } from './QueueSparklines';

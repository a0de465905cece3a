/** Builds a data frame from rows and a column table, one typed field per column. */
import { createDataFrame, type DataFrame, type FieldType } from '@grafana/data';

/** One frame field: its name, type, unit and how to read it from a row. */
export interface Column<R> {
  name: string;
  type: FieldType;
  /** A Grafana unit id, e.g. `percent`, `bytes`, `ms`. */
  unit?: string;
  displayName?: string;
  value: (row: R) => unknown;
}

/** A frame named `name` with one field per column, values read row by row. */
export function toFrame<R>(
  refId: string,
  name: string,
  rows: readonly R[],
  columns: ReadonlyArray<Column<R>>
): DataFrame {
  return createDataFrame({
    refId,
    name,
    fields: columns.map((column) => ({
      name: column.name,
      type: column.type,
      values: rows.map(column.value),
      config: {
        ...(column.unit ? { unit: column.unit } : {}),
        ...(column.displayName ? { displayName: column.displayName } : {}),
      },
    })),
  });
}

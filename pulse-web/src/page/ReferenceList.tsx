/**
 * The render benchmark's reference: the same nodes from the same data hook, as one plain table
 * row each (no Grafana components, no memoisation). It is the floor the cards are compared to.
 */
import React from 'react';
import { usePulseData } from 'gravito-quasar-app/src/pages/Pulse/usePulseData';

export function ReferenceList() {
  const { data } = usePulseData();
  if (data.state !== 'ready') {
    return <p>{data.state}</p>;
  }
  return (
    <table data-testid="reference-list">
      <tbody>
        {data.nodes.map((node) => (
          <tr key={`${node.service}/${node.id}`}>
            <td>{node.service}</td>
            <td>{node.id}</td>
            <td>{node.hostname}</td>
            <td>{node.status}</td>
            <td>{node.cpu.processPercent}</td>
            <td>{node.cpu.systemPercent}</td>
            <td>{node.memory.rssBytes}</td>
            <td>{node.lastSeenAt}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

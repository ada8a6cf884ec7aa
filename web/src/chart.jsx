// One uPlot chart per vital, with the patient's threshold lines; its figcaption states the reading count and a
// data table (in a <details>) carries the same values for screen readers and keyboard users.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export const VITALS = {
  blood_pressure: { label: "Blood pressure", fields: ["systolic", "diastolic", "pulse"], unit: "mmHg" },
  pulse_oximeter: { label: "Oxygen saturation", fields: ["spo2", "pulse"], unit: "%" },
  heart_rate: { label: "Heart rate", fields: ["bpm"], unit: "bpm" },
  glucometer: { label: "Glucose", fields: ["glucose"], unit: "" },
  weight_scale: { label: "Weight", fields: ["weight"], unit: "" },
  thermometer: { label: "Temperature", fields: ["temperature"], unit: "" },
};
const COLORS = ["#0b5cad", "#b3261e", "#1b7f3b", "#7a4fb5"];

export function seriesOf(deviceType, readings) {
  const fields = VITALS[deviceType]?.fields || [];
  const sorted = [...readings].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  const xs = sorted.map((r) => Date.parse(r.recordedAt) / 1000);
  const present = fields.filter((f) => sorted.some((r) => typeof r.dataPayload[f] === "number"));
  return { xs, sorted, fields: present, ys: present.map((f) => sorted.map((r) => r.dataPayload[f] ?? null)) };
}

export function VitalChart({ deviceType, readings, rules, days }) {
  const box = useRef(null);
  const vital = VITALS[deviceType] || { label: deviceType, fields: [] };
  const { xs, sorted, fields, ys } = seriesOf(deviceType, readings);
  const lines = (rules || []).filter((rule) => rule.deviceType === deviceType && fields.includes(rule.field));

  useEffect(() => {
    if (!box.current || xs.length === 0) return undefined;
    const limits = [];
    for (const rule of lines) {
      for (const bound of ["min", "max"]) {
        if (typeof rule[bound] === "number") limits.push({ rule, bound, value: rule[bound] });
      }
    }
    const data = [xs, ...ys, ...limits.map((l) => xs.map(() => l.value))];
    const options = {
      width: Math.max(280, box.current.clientWidth),
      height: 220,
      scales: { x: { time: true } },
      series: [
        {},
        ...fields.map((field, i) => ({
          label: field,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          points: { show: true, size: 5 },
          spanGaps: true,
        })),
        ...limits.map((l) => ({
          label: `${l.rule.field} ${l.bound} ${l.value}`,
          stroke: "#8a5a00",
          dash: [6, 4],
          width: 1,
          points: { show: false },
        })),
      ],
      axes: [{}, { label: vital.unit }],
    };
    const plot = new uPlot(options, data, box.current);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, box.current.clientWidth), height: 220 }));
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [readings, rules]);

  const id = `chart-${deviceType}`;
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`} data-device-type={deviceType} data-points={xs.length}>
      <figcaption id={`${id}-caption`}>
        <strong>{vital.label}</strong>: <span class="count">{xs.length}</span> readings over {days} days
        {lines.length > 0 && ` · thresholds: ${lines.map(describeRule).join(", ")}`}
      </figcaption>
      {xs.length === 0 ? <p>No readings in this period.</p> : <div ref={box} class="plot" aria-hidden="true" />}
      {xs.length > 0 && (
        <details>
          <summary>Show the {vital.label.toLowerCase()} readings as a table</summary>
          <div class="table-scroll" tabIndex="0" role="region" aria-label={`${vital.label} readings (scrolls)`}>
            <table>
              <caption class="visually-hidden">{vital.label} readings</caption>
              <thead>
                <tr>
                  <th scope="col">Recorded</th>
                  {fields.map((f) => (
                    <th scope="col" key={f}>{f}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...sorted].reverse().map((r) => (
                  <tr key={r.objectId}>
                    <td>{new Date(r.recordedAt).toLocaleString()}</td>
                    {fields.map((f) => (
                      <td key={f}>{r.dataPayload[f] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

export function describeRule(rule) {
  const parts = [];
  if (typeof rule.min === "number") parts.push(`min ${rule.min}`);
  if (typeof rule.max === "number") parts.push(`max ${rule.max}`);
  return `${rule.field} ${parts.join(" ")}${rule.unit ? ` ${rule.unit}` : ""} (${rule.severity})`;
}

import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import * as api from "./api.js";
import { connectLive, disconnectLive, onLive } from "./live.js";
import { VITALS, VitalChart } from "./chart.jsx";
import "./styles.css";

// --- small helpers ------------------------------------------------------------------------------------------

function useAsync(load, deps) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const run = useCallback(() => {
    let live = true;
    load().then(
      (data) => live && setState({ loading: false, data, error: null }),
      (error) => live && setState((s) => ({ loading: false, data: s.data, error })),
    );
    return () => {
      live = false;
    };
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
}

function useLive(match, action) {
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => onLive((event) => match(event) && latest.current(event)), []);
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");
const day = (iso) => (iso ? new Date(iso).toLocaleDateString() : "");
const monthOf = (date) => date.toISOString().slice(0, 7);

function announce(text) {
  const region = document.getElementById("announcer");
  if (region) region.textContent = text;
}

function Problem({ error }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error.message || String(error)}
      {(error.problem?.errors || []).map((e) => ` ${e.loc?.slice(1).join(".")}: ${e.msg}.`)}
    </p>
  );
}

function Loading({ state, children }) {
  if (state.loading && !state.data) return <p aria-busy="true">Loading…</p>;
  return (
    <>
      <Problem error={state.error} />
      {state.data && children(state.data)}
    </>
  );
}

function Section({ title, children, id }) {
  return (
    <section aria-labelledby={id} class="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

// --- sign-in ------------------------------------------------------------------------------------------------

function SignIn() {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api.signIn(form.get("email"), form.get("password"));
    } catch (failure) {
      setError(failure.status === 401 ? new Error("The email or password is not right.") : failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main id="main" class="signin">
      <h1>Remote patient monitoring</h1>
      <form onSubmit={submit} class="card">
        <h2>Sign in</h2>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <Problem error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

// --- clinician: alerts worklist -----------------------------------------------------------------------------

const SEVERITY = { high: 0, medium: 1, low: 2 };

function sortAlerts(items) {
  return [...items].sort(
    (a, b) =>
      (a.escalatedAt ? 0 : 1) - (b.escalatedAt ? 0 : 1) ||
      (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) ||
      (SEVERITY[a.severity] ?? 3) - (SEVERITY[b.severity] ?? 3) ||
      b.timestamp.localeCompare(a.timestamp),
  );
}

function usePatientNames() {
  const state = useAsync(() => api.patients(), []);
  const names = {};
  for (const p of state.data || []) names[p.objectId] = p.displayName;
  return names;
}

function AlertsPage() {
  const names = usePatientNames();
  const state = useAsync(
    () => Promise.all([api.alerts("open"), api.alerts("acknowledged")]).then(([open, acked]) => sortAlerts([...open, ...acked])),
    [],
  );
  useLive(
    (e) => e.type === "alert.created" || e.type === "alert.escalated",
    (e) => {
      announce(e.type === "alert.escalated" ? "An alert was escalated" : "A new alert arrived");
      state.reload();
    },
  );
  async function move(alert, status) {
    await api.setAlertStatus(alert.patient, alert.objectId, status);
    announce(`Alert ${status}`);
    state.reload();
  }
  return (
    <main id="main">
      <h1>Alerts</h1>
      <Loading state={state}>
        {(items) =>
          items.length === 0 ? (
            <p>No open alerts.</p>
          ) : (
            <ul class="worklist" aria-label="Open and acknowledged alerts">
              {items.map((alert) => (
                <li key={alert.objectId} class={`alert ${alert.severity || ""} ${alert.escalatedAt ? "escalated" : ""}`}>
                  <div>
                    <a href={`#/patients/${alert.patient}`}>{names[alert.patient] || "Patient"}</a>
                    {alert.escalatedAt && <span class="badge escalated">Escalated</span>}
                    <span class={`badge ${alert.severity}`}>{alert.severity || "alert"}</span>
                    <span class="badge">{alert.status}</span>
                  </div>
                  <p>
                    {alert.reason === "no_data" ? "No data received" : alert.note || "Reading outside the threshold"} ·{" "}
                    <time datetime={alert.timestamp}>{when(alert.timestamp)}</time>
                  </p>
                  <div class="actions">
                    {alert.status === "open" && (
                      <button onClick={() => move(alert, "acknowledged")}>Acknowledge</button>
                    )}
                    <button class="secondary" onClick={() => move(alert, "resolved")}>
                      Resolve
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Loading>
    </main>
  );
}

// --- clinician: patient list --------------------------------------------------------------------------------

function PatientRow({ patient }) {
  const state = useAsync(
    () => Promise.all([api.latestReadings(patient.objectId), api.readingDays(patient.objectId)]),
    [patient.objectId],
  );
  const latest = {};
  for (const r of state.data?.[0] || []) if (!latest[r.deviceType]) latest[r.deviceType] = r;
  return (
    <tr>
      <th scope="row">
        <a href={`#/patients/${patient.objectId}`}>{patient.displayName}</a>
        <div class="muted">{patient.medicalRecordNumber || "no MRN"}</div>
      </th>
      <td>
        {state.loading
          ? "…"
          : Object.values(latest).map((r) => (
              <div key={r.deviceType}>
                {VITALS[r.deviceType]?.label || r.deviceType}: {formatPayload(r)}{" "}
                <span class="muted">{day(r.recordedAt)}</span>
              </div>
            ))}
      </td>
      <td>{state.data ? state.data[1].daysWithReadings : "…"}</td>
    </tr>
  );
}

function formatPayload(reading) {
  const p = reading.dataPayload;
  if (reading.deviceType === "blood_pressure") return `${p.systolic}/${p.diastolic}`;
  const fields = VITALS[reading.deviceType]?.fields || Object.keys(p);
  return `${p[fields[0]]}${p.unit ? ` ${p.unit}` : ""}`;
}

function PatientsPage() {
  const state = useAsync(() => api.patients(), []);
  return (
    <main id="main">
      <h1>Patients</h1>
      <Loading state={state}>
        {(items) => (
          <div class="table-scroll" tabIndex="0" role="region" aria-label="Patients (scrolls)">
            <table>
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Latest readings</th>
                  <th scope="col">Reading days this month</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <PatientRow key={p.objectId} patient={p} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loading>
    </main>
  );
}

// --- the patient page (clinician, and the patient's own) ----------------------------------------------------

const RANGES = [7, 30, 90];

function Charts({ patientId }) {
  const [days, setDays] = useState(30);
  const state = useAsync(async () => {
    const from = new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const [readings, thresholds] = await Promise.all([
      api.readings(patientId, { from }),
      api.thresholds(patientId).catch(() => ({ rules: [] })),
    ]);
    return { readings, rules: thresholds?.rules || [] };
  }, [patientId, days]);
  useLive((e) => e.type === "devicedata.created" && e.patientId === patientId, () => state.reload());
  const byType = {};
  for (const r of state.data?.readings || []) (byType[r.deviceType] ||= []).push(r);
  return (
    <Section title="Vitals" id="vitals">
      <div role="group" aria-label="Period" class="segmented">
        {RANGES.map((n) => (
          <button key={n} aria-pressed={String(days === n)} onClick={() => setDays(n)}>
            {n} days
          </button>
        ))}
      </div>
      <Loading state={state}>
        {(data) =>
          Object.keys(byType).length === 0 ? (
            <p>No readings in the last {days} days.</p>
          ) : (
            <div class="charts" data-loaded={state.loading ? "false" : "true"}>
              {Object.keys(VITALS)
                .filter((t) => byType[t])
                .map((t) => (
                  <VitalChart key={`${t}-${days}`} deviceType={t} readings={byType[t]} rules={data.rules} days={days} />
                ))}
            </div>
          )
        }
      </Loading>
    </Section>
  );
}

function Calendar({ patientId }) {
  const [month, setMonth] = useState(monthOf(new Date()));
  const state = useAsync(() => api.readingDays(patientId, month), [patientId, month]);
  function shift(by) {
    const [y, m] = month.split("-").map(Number);
    setMonth(monthOf(new Date(Date.UTC(y, m - 1 + by, 1))));
  }
  const [y, m] = month.split("-").map(Number);
  const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const offset = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
  const counts = {};
  for (const d of state.data?.days || []) counts[d.date] = d.readings;
  return (
    <Section title="Reading days" id="reading-days">
      <div class="row">
        <button class="secondary" onClick={() => shift(-1)} aria-label="Previous month">
          ‹
        </button>
        <strong>{month}</strong>
        <button class="secondary" onClick={() => shift(1)} aria-label="Next month">
          ›
        </button>
        {state.data && <span>{state.data.daysWithReadings} days with readings</span>}
      </div>
      <ol class="calendar" aria-label={`Reading days in ${month}`}>
        {Array.from({ length: offset }, (_, i) => (
          <li key={`blank-${i}`} aria-hidden="true" class="blank" />
        ))}
        {Array.from({ length }, (_, i) => {
          const date = `${month}-${String(i + 1).padStart(2, "0")}`;
          const n = counts[date] || 0;
          return (
            <li key={date} class={n ? "has" : ""} aria-label={`${date}: ${n} readings`}>
              {i + 1}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}

function MonitoringLogs({ patientId, canWrite }) {
  const state = useAsync(() => api.monitoringLogs(patientId).then((r) => r.items), [patientId]);
  const [error, setError] = useState(null);
  useLive((e) => e.type.startsWith("alert.") && e.patientId === patientId, () => state.reload());
  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      await api.addMonitoringLog(patientId, {
        kind: data.get("kind"),
        durationMinutes: Number(data.get("minutes")) || undefined,
        interactive: data.get("kind") === "interaction" ? data.get("interactive") === "on" : undefined,
        note: data.get("note") || undefined,
      });
      form.reset();
      announce("Time recorded");
      state.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Section title="Monitoring log" id="monitoring-log">
      {canWrite && (
        <form onSubmit={submit} class="inline-form">
          <label>
            Kind
            <select name="kind">
              <option value="review">Review</option>
              <option value="interaction">Interaction</option>
              <option value="note">Note</option>
            </select>
          </label>
          <label>
            Minutes
            <input name="minutes" type="number" min="1" max="240" inputmode="numeric" />
          </label>
          <label class="check">
            <input name="interactive" type="checkbox" /> Interactive (live audio or video)
          </label>
          <label class="grow">
            Note
            <input name="note" type="text" maxlength="2000" />
          </label>
          <button type="submit">Record time</button>
          <Problem error={error} />
        </form>
      )}
      <Loading state={state}>
        {(items) => (
          <ul class="log">
            {items.map((log) => (
              <li key={log.objectId}>
                <span class="badge">{log.kind}</span> <span class="badge">{log.status}</span>{" "}
                {log.durationMinutes ? `${log.durationMinutes} min${log.interactive ? " (interactive)" : ""} · ` : ""}
                {log.note || (log.reason === "threshold" ? "Reading outside the threshold" : log.reason || "")}{" "}
                <time class="muted" datetime={log.timestamp}>
                  {when(log.timestamp)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </Loading>
    </Section>
  );
}

function SimpleList({ title, id, load, deps, render: row, empty }) {
  const state = useAsync(load, deps);
  useLive((e) => e.type === "labresult.final" && id === "labs", () => state.reload());
  return (
    <Section title={title} id={id}>
      <Loading state={state}>
        {(items) => (items.length === 0 ? <p>{empty}</p> : <ul class="plain">{items.map(row)}</ul>)}
      </Loading>
    </Section>
  );
}

function Records({ patientId }) {
  return (
    <div class="grid">
      <SimpleList
        title="Lab results"
        id="labs"
        load={() => api.labResults(patientId)}
        deps={[patientId]}
        empty="No lab results."
        render={(lab) => (
          <li key={lab.objectId}>
            <strong>{lab.testName}</strong> {lab.resultValue ?? ""} {lab.units || ""}{" "}
            {lab.referenceRange && <span class="muted">(ref {lab.referenceRange})</span>}{" "}
            <span class="badge">{lab.status}</span> <span class="muted">{day(lab.publishedAt)}</span>
          </li>
        )}
      />
      <SimpleList
        title="Treatment plan"
        id="plans"
        load={() => api.treatmentPlans(patientId)}
        deps={[patientId]}
        empty="No treatment plan."
        render={(plan) => (
          <li key={plan.objectId}>
            <strong>{plan.summary}</strong> <span class="badge">{plan.status}</span>
            {plan.details && <p>{plan.details}</p>}
            <span class="muted">
              {plan.startDate || ""} {plan.endDate ? `– ${plan.endDate}` : ""}
            </span>
          </li>
        )}
      />
      <SimpleList
        title="Appointments"
        id="appointments"
        load={() => api.appointments(patientId)}
        deps={[patientId]}
        empty="No appointments."
        render={(a) => (
          <li key={a.objectId}>
            <time datetime={a.startAt}>{when(a.startAt)}</time> <span class="badge">{a.status}</span>{" "}
            {a.location || ""} {a.reason ? `· ${a.reason}` : ""}
          </li>
        )}
      />
      <SimpleList
        title="Devices"
        id="devices"
        load={() => api.devices(patientId)}
        deps={[patientId]}
        empty="No devices."
        render={(d) => (
          <li key={d.objectId}>
            {VITALS[d.deviceType]?.label || d.deviceType} {d.label ? `· ${d.label}` : ""}{" "}
            <span class="badge">{d.status}</span> <span class="muted">{d.serialNumber || ""}</span>
          </li>
        )}
      />
    </div>
  );
}

function PatientPage({ patientId, me }) {
  const state = useAsync(() => api.patient(patientId), [patientId]);
  const clinician = me.role === "clinician" || me.role === "admin";
  return (
    <main id="main">
      <Loading state={state}>
        {(p) => (
          <>
            <h1>{me.patientId === patientId ? "My health" : p.displayName}</h1>
            <p class="muted">
              {p.medicalRecordNumber ? `MRN ${p.medicalRecordNumber} · ` : ""}
              {p.dateOfBirth ? `born ${p.dateOfBirth} · ` : ""}time zone {p.timeZone}
              {clinician && (
                <>
                  {" · "}
                  <a href={`#/messages?patient=${patientId}`}>Messages</a>
                </>
              )}
            </p>
          </>
        )}
      </Loading>
      <Charts patientId={patientId} />
      <Calendar patientId={patientId} />
      <MonitoringLogs patientId={patientId} canWrite={me.role === "clinician"} />
      <Records patientId={patientId} />
    </main>
  );
}

// --- messages -----------------------------------------------------------------------------------------------

function AttachmentLink({ id }) {
  const [state, setState] = useState(null);
  async function open() {
    const a = await api.attachment(id);
    setState(a);
    if (a.downloadUrl) window.open(a.downloadUrl, "_blank", "noopener");
  }
  return (
    <button class="link" onClick={open}>
      {state ? `${state.fileName} (${state.status})` : "Attachment"}
    </button>
  );
}

function Conversation({ thread, me }) {
  const state = useAsync(() => api.messages(thread.threadId), [thread.threadId]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useLive(
    (e) => e.type === "message.created",
    () => {
      announce("New message");
      state.reload();
    },
  );
  useEffect(() => {
    for (const m of state.data || []) {
      if (m.recipient === me.userId && m.status !== "read") api.markRead(thread.threadId, m.objectId).catch(() => {});
    }
  }, [state.data]);
  const others = thread.participants.filter((p) => p !== me.userId);
  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    setBusy(true);
    setError(null);
    try {
      const attachments = file && file.size ? [await api.upload(thread.patient, file)] : [];
      const recipient = data.get("recipient") || others[0];
      await api.sendMessage(thread.threadId, recipient, data.get("body"), attachments);
      form.reset();
      announce("Message sent");
      state.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  const label = (userId) => (userId === me.userId ? "You" : userId === thread.patientUser ? "Patient" : "Care team");
  return (
    <section aria-labelledby="conversation" class="card conversation">
      <h2 id="conversation">{thread.subject || "Conversation"}</h2>
      <Loading state={state}>
        {(items) => (
          <ol class="messages" aria-label="Messages, oldest first">
            {[...items].reverse().map((m) => (
              <li key={m.objectId} class={m.sender === me.userId ? "mine" : "theirs"}>
                <div class="muted">
                  {label(m.sender)} · <time datetime={m.sentAt}>{when(m.sentAt)}</time>
                  {m.sender === me.userId && ` · ${m.status}`}
                </div>
                <p class="body">{m.body}</p>
                {(m.attachments || []).map((id) => (
                  <AttachmentLink key={id} id={id} />
                ))}
              </li>
            ))}
          </ol>
        )}
      </Loading>
      <form onSubmit={submit} class="compose">
        {others.length > 1 && (
          <label>
            To
            <select name="recipient">
              {others.map((p) => (
                <option key={p} value={p}>
                  {p === thread.patientUser ? "Patient" : `Care team member ${p.slice(0, 8)}`}
                </option>
              ))}
            </select>
          </label>
        )}
        <label for="message-body">Message</label>
        <textarea id="message-body" name="body" required maxlength="10000" rows="3" />
        <label for="message-file">Attachment (PDF, PNG, JPEG, HEIC or text; optional)</label>
        <input id="message-file" name="file" type="file" accept=".pdf,.png,.jpg,.jpeg,.heic,.txt" />
        <Problem error={error} />
        <button type="submit" disabled={busy || others.length === 0}>
          Send
        </button>
      </form>
    </section>
  );
}

function MessagesPage({ me, query }) {
  const state = useAsync(async () => {
    const [threads, patients] = await Promise.all([api.threads(), api.patients()]);
    const byId = Object.fromEntries(patients.map((p) => [p.objectId, p]));
    return threads.map((t) => ({ ...t, patientName: byId[t.patient]?.displayName, patientUser: byId[t.patient]?.user }));
  }, []);
  const [selected, setSelected] = useState(null);
  useLive((e) => e.type === "message.created", () => state.reload());
  const threads = state.data || [];
  const wanted = query.get("patient");
  const current =
    threads.find((t) => t.threadId === selected) || (wanted ? threads.find((t) => t.patient === wanted) : threads[0]);
  async function start() {
    const patientId = wanted || me.patientId;
    const thread = await api.createThread(patientId, "Conversation");
    setSelected(thread.threadId);
    state.reload();
  }
  const canStart = (wanted || me.patientId) && !(wanted ? threads.some((t) => t.patient === wanted) : threads.length);
  return (
    <main id="main">
      <h1>Messages</h1>
      <div class="split">
        <nav aria-label="Conversations" class="card">
          <Loading state={state}>
            {() => (
              <ul class="plain threads">
                {threads.map((t) => (
                  <li key={t.threadId}>
                    <button
                      class={t === current ? "thread current" : "thread"}
                      aria-current={t === current ? "true" : undefined}
                      onClick={() => setSelected(t.threadId)}
                    >
                      {me.role === "patient" ? t.subject || "Care team" : t.patientName || "Patient"}
                      <span class="muted"> {when(t.lastMessageAt)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Loading>
          {canStart && <button onClick={start}>Start a conversation</button>}
        </nav>
        {current ? <Conversation key={current.threadId} thread={current} me={me} /> : <p>No conversation yet.</p>}
      </div>
    </main>
  );
}

// --- admin --------------------------------------------------------------------------------------------------

function PendingClinicians() {
  const state = useAsync(() => api.users("clinician"), []);
  async function approve(user) {
    await api.setRole(user.userId, "clinician");
    announce(`${user.displayName} approved`);
    state.reload();
  }
  return (
    <Section title="Clinicians awaiting approval" id="pending">
      <Loading state={state}>
        {(items) => {
          const pending = items.filter((u) => u.status === "pending_approval");
          return pending.length === 0 ? (
            <p>Nobody is waiting.</p>
          ) : (
            <ul class="plain">
              {pending.map((u) => (
                <li key={u.userId}>
                  {u.displayName} <span class="muted">{u.email}</span>{" "}
                  <button onClick={() => approve(u)}>Approve {u.displayName}</button>
                </li>
              ))}
            </ul>
          );
        }}
      </Loading>
    </Section>
  );
}

function CareTeams() {
  const state = useAsync(() => Promise.all([api.patients(), api.users("clinician")]), []);
  const [patientId, setPatientId] = useState("");
  const team = useAsync(() => (patientId ? api.careTeam(patientId) : Promise.resolve([])), [patientId]);
  const [error, setError] = useState(null);
  const clinicians = (state.data?.[1] || []).filter((u) => u.status === "active");
  const name = (id) => clinicians.find((c) => c.userId === id)?.displayName || id;
  async function add(event) {
    event.preventDefault();
    setError(null);
    try {
      await api.addToCareTeam(patientId, new FormData(event.currentTarget).get("clinician"));
      team.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Section title="Care teams" id="care-teams">
      <Loading state={state}>
        {([patients]) => (
          <>
            <label for="team-patient">Patient</label>
            <select id="team-patient" value={patientId} onChange={(e) => setPatientId(e.currentTarget.value)}>
              <option value="">Choose a patient</option>
              {patients.map((p) => (
                <option key={p.objectId} value={p.objectId}>
                  {p.displayName} {p.medicalRecordNumber ? `(${p.medicalRecordNumber})` : ""}
                </option>
              ))}
            </select>
            {patientId && (
              <>
                <ul class="plain">
                  {(team.data || []).map((m) => (
                    <li key={m.clinician}>
                      {name(m.clinician)}{" "}
                      <button
                        class="secondary"
                        onClick={() => api.removeFromCareTeam(patientId, m.clinician).then(team.reload)}
                      >
                        Remove {name(m.clinician)}
                      </button>
                    </li>
                  ))}
                </ul>
                <form onSubmit={add} class="inline-form">
                  <label>
                    Clinician
                    <select name="clinician">
                      {clinicians.map((c) => (
                        <option key={c.userId} value={c.userId}>
                          {c.displayName}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="submit">Add to the care team</button>
                  <Problem error={error} />
                </form>
              </>
            )}
          </>
        )}
      </Loading>
    </Section>
  );
}

function RejectedReadings() {
  const state = useAsync(() => api.rejectedReadings(), []);
  return (
    <Section title="Rejected readings" id="rejected">
      <Loading state={state}>
        {(items) =>
          items.length === 0 ? (
            <p>None.</p>
          ) : (
            <div class="table-scroll" tabIndex="0" role="region" aria-label="Rejected readings (scrolls)">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Received</th>
                    <th scope="col">Device</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.objectId}>
                      <td>{when(r.receivedAt)}</td>
                      <td>{r.deviceId}</td>
                      <td>
                        {r.reason} {r.detail ? `· ${r.detail}` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loading>
    </Section>
  );
}

const localInput = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const utc = (local) => new Date(local).toISOString().replace(/\.\d+Z$/, "Z");

function AuditVerification() {
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function verify(event) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      setResult(await api.verifyAudit(utc(data.get("from")), utc(data.get("to"))));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  const now = new Date();
  return (
    <Section title="Audit trail" id="audit">
      <form onSubmit={verify} class="inline-form">
        <label>
          From
          <input name="from" type="datetime-local" required defaultValue={localInput(new Date(now - 86_400_000))} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" required defaultValue={localInput(new Date(now.getTime() + 60_000))} />
        </label>
        <button type="submit" disabled={busy}>
          Verify the audit trail
        </button>
      </form>
      <Problem error={error} />
      {busy && <p aria-busy="true">Checking every entry of the period…</p>}
      {result && (
        <p role="status">
          {result.verified ? "Verified" : "Broken"}: {result.entriesChecked} entries checked
          {result.firstBrokenEntry ? `, first broken entry ${result.firstBrokenEntry}` : ""}.
        </p>
      )}
    </Section>
  );
}

function AdminPage() {
  return (
    <main id="main">
      <h1>Administration</h1>
      <PendingClinicians />
      <CareTeams />
      <RejectedReadings />
      <AuditVerification />
    </main>
  );
}

// --- shell and routing --------------------------------------------------------------------------------------

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return hash;
}

const NAV = {
  clinician: [
    ["#/alerts", "Alerts"],
    ["#/patients", "Patients"],
    ["#/messages", "Messages"],
  ],
  admin: [
    ["#/admin", "Administration"],
    ["#/alerts", "Alerts"],
    ["#/patients", "Patients"],
  ],
  patient: [
    ["#/me", "My health"],
    ["#/messages", "Messages"],
  ],
  caregiver: [["#/patients", "Patients"]],
};

function Page({ me, hash }) {
  const [path, search = ""] = hash.replace(/^#/, "").split("?");
  const query = new URLSearchParams(search);
  const parts = path.split("/").filter(Boolean);
  const home = NAV[me.role]?.[0]?.[0].slice(2) || "patients";
  const [page, id] = parts.length ? parts : [home];
  if (page === "alerts") return <AlertsPage />;
  if (page === "patients" && id) return <PatientPage key={id} patientId={id} me={me} />;
  if (page === "patients") return <PatientsPage />;
  if (page === "messages") return <MessagesPage me={me} query={query} />;
  if (page === "admin") return <AdminPage />;
  if (page === "me" && me.patientId) return <PatientPage patientId={me.patientId} me={me} />;
  return (
    <main id="main">
      <h1>Not found</h1>
      <p>
        <a href="#/">Home</a>
      </p>
    </main>
  );
}

function Shell({ me }) {
  const hash = useHash();
  const [online, setOnline] = useState(false);
  useEffect(() => {
    const off = onLive((e) => e.type === "live.open" ? setOnline(true) : e.type === "live.closed" && setOnline(false));
    connectLive();
    return () => {
      off();
      disconnectLive();
    };
  }, []);
  useEffect(() => document.getElementById("main")?.focus?.(), [hash]);
  const current = `#/${hash.replace(/^#\/?/, "").split(/[/?]/)[0] || NAV[me.role]?.[0]?.[0].slice(2)}`;
  return (
    <>
      <a href="#main" class="skip" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">RPM</span>
        <nav aria-label="Main">
          {(NAV[me.role] || []).map(([href, label]) => (
            <a key={href} href={href} aria-current={current === href ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class={online ? "live on" : "live"} data-live={online ? "on" : "off"}>
          {online ? "Live" : "Offline"}
        </span>
        <span class="who">{me.displayName}</span>
        <button class="secondary" onClick={() => api.signOut()}>
          Sign out
        </button>
      </header>
      <Page me={me} hash={hash} />
    </>
  );
}

function App() {
  const [ready, setReady] = useState(false);
  const [me, setMe] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const off = api.onSessionChange((session) => {
      if (!session) setMe(null);
      else if (!me) api.me().then(setMe, setError);
    });
    api
      .loadConfig()
      .then(() => api.restoreSession())
      .then((session) => (session ? api.me().then(setMe) : null))
      .catch(setError)
      .finally(() => setReady(true));
    return off;
  }, []);
  if (!ready) return <p aria-busy="true">Loading…</p>;
  if (error && !me)
    return (
      <main id="main">
        <Problem error={error} />
        <SignIn />
      </main>
    );
  return me ? <Shell key={me.userId} me={me} /> : <SignIn />;
}

render(<App />, document.getElementById("app"));

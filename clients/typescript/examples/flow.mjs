// The seed's flow, as the README shows it: a patient signs in, reads their latest device data and monitoring
// logs, writes to their care team and listens for events. Prints one JSON line per step.
// RPM_API, RPM_WS, RPM_EMAIL and RPM_PASSWORD say where and who; in a browser or React Native, drop `ws`.
import WebSocket from "ws";
import { RpmClient, unwrap } from "../dist/index.js";

const client = new RpmClient({ baseUrl: process.env.RPM_API, wsUrl: process.env.RPM_WS });
await client.signIn(process.env.RPM_EMAIL, process.env.RPM_PASSWORD);
const me = unwrap(await client.api.GET("/me"));
const patientId = me.patientId;
const path = { patientId };
const readings = unwrap(await client.api.GET("/patients/{patientId}/device-data", { params: { path, query: { limit: 5 } } }));
const logs = unwrap(await client.api.GET("/patients/{patientId}/monitoring-logs", { params: { path, query: { limit: 5 } } }));
console.log(JSON.stringify({ step: "latest", deviceData: readings.items.length, monitoringLogs: logs.items.length }));

const thread = unwrap(await client.api.POST("/threads", { body: { patientId, subject: "My readings" } }));
const clinician = thread.participants.find((user) => user !== me.userId);
const sent = unwrap(await client.api.POST("/threads/{threadId}/messages", {
  params: { path: { threadId: thread.threadId } },
  body: { recipient: clinician, body: "My pressure was high this morning." },
  headers: { "Idempotency-Key": crypto.randomUUID() }, // a retry of this POST cannot send it twice
}));
console.log(JSON.stringify({ step: "sent", messageId: sent.objectId, threadId: thread.threadId }));

let threads = 0;
for await (const _ of client.pages("/threads")) threads += 1;
console.log(JSON.stringify({ step: "paged", threads }));

const live = client.listen(
  (event) => {
    console.log(JSON.stringify({ step: "event", event }));
    if (event.type === "message.created") {
      live.close();
      process.exit(0);
    }
  },
  { WebSocket, onOpen: () => console.log(JSON.stringify({ step: "listening" })) },
);

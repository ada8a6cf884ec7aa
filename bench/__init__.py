"""``make bench``: how much the request path costs beyond the storage it needs.

Every figure has a goal; ``bench/results.json`` (an output, not kept in git) holds
``{"name": {"value": ..., "goal": ..., "unit": ...}}`` and the table is printed.

- ``route.<case>.overhead`` — median latency of the request through the local gateway (the
  full path: gateway, authorizer, function, moto) ÷ median latency of the *same DynamoDB calls*
  issued directly with a plain boto3 client against the same moto, in the same run. The calls are
  recorded from the request itself (botocore hooks) and replayed; a writing route replays into
  copies of its tables, so that its conditional writes succeed as they did. Goal ≤ 1.3: what
  remains above 1 is ours (event building, routing, validation, serialization, the authorizer).
- ``route.<case>.ms`` / ``.raw_ms`` — those two medians in milliseconds: this machine's, with moto
  in-process; compare them with each other, not with AWS.
- ``route.<case>.dynamodb_calls`` — DynamoDB calls per request (goal declared by the case).
- ``route.<case>.lambda_invocations`` — Lambda invocations per request (goal 1).
- ``cold_import.<function>`` — fresh-process ``import <function>.handler`` ÷ fresh-process
  ``import boto3``, medians of interleaved runs (goal ≤ 1.5, issue 29).
- ``ingest.*``, ``device_data.*``, ``alerts.*`` — the devices figures (``bench.devices``): ingest
  throughput ÷ a raw ``batch_writer`` (goal ≥ 0.7) and DynamoDB requests per 100 readings (≤ 8); a
  device-data page at 1k and 100k readings ÷ its raw query (≤ 1.3), 100k ÷ 1k (≤ 1.2), items
  scanned (≤ 51); ``GET /alerts`` of a clinician of 200 patients ÷ one of 2 (≤ 1.3).
- ``billing.*``, ``nodata.*`` — running a programme (``bench.programme``): a page of 100 of the billing
  report of a clinician with 1,000 patients, DynamoDB calls per patient (≤ 3.05) and its latency ÷ the same
  calls replayed raw (≤ 1.3); the watch's DynamoDB calls per run with 1,000 and 10,000 watched patients of
  whom 10 are due (≤ 38 each, 10,000 ÷ 1,000 ≤ 1.0).
- ``fhir.*`` — FHIR (``bench.fhir``): ``GET /fhir/Observation?patient=…&_count=50`` ÷ the REST device-data page of
  the same readings (≤ 1.2), both medians of interleaved requests; a bulk export of 100,000 readings by the export
  worker's service in invocations of 30 s: readings per second (this machine), files, DynamoDB calls per 1,000
  readings, invocations.

New capability work adds cases by declaration (``bench.cases``): a ``RouteCase`` for a route, or
any object with a ``name`` and ``run(session) -> list[Figure]`` passed to ``register``.
"""

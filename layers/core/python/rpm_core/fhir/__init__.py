"""FHIR R4 views of the backend's records, built as plain JSON (dicts): no FHIR library at run time.

``observations`` maps readings (one row per device type) and lab results to Observations; ``resources`` maps
the other records (Patient, Device, DiagnosticReport, CarePlan, Appointment); ``search`` parses FHIR search
parameters; ``capabilities`` declares what is served (the CapabilityStatement and the routes follow from it).
The modules know FHIR and the contract's models, never Lambda events or storage.
"""

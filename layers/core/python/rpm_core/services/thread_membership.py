"""Who takes part in a patient's threads: the care team, kept in step by the ``threadsync`` stream function.

Apart from ``rpm_core.services.messaging`` (the API's threads and messages) so that the stream function's
cold start loads none of the API's models.
"""

from __future__ import annotations

from rpm_core.data import threads as thread_store


def follow_care_team(patient_id: str, clinician_id: str, *, joined: bool) -> int:
    """A clinician joined (or left) the patient's care team: they join (or leave) each of the patient's
    threads. Run by the ``threadsync`` stream function; idempotent. Returns the threads changed."""
    threads = thread_store.threads_of_patient(patient_id)
    for thread in threads:
        if joined:
            thread_store.add_participant(thread, clinician_id)
        else:
            thread_store.remove_participant(thread["threadId"], clinician_id)
    return len(threads)

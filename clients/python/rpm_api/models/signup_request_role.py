from enum import StrEnum


class SignupRequestRole(StrEnum):
    CAREGIVER = "caregiver"
    CLINICIAN = "clinician"
    PATIENT = "patient"

    def __str__(self) -> str:
        return str(self.value)

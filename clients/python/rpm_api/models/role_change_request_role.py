from enum import StrEnum


class RoleChangeRequestRole(StrEnum):
    ADMIN = "admin"
    CAREGIVER = "caregiver"
    CLINICIAN = "clinician"
    PATIENT = "patient"

    def __str__(self) -> str:
        return str(self.value)

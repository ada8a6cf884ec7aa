from enum import StrEnum


class CandidateCodeCode(StrEnum):
    VALUE_0 = "99453"
    VALUE_1 = "99445"
    VALUE_2 = "99454"
    VALUE_3 = "99470"
    VALUE_4 = "99457"
    VALUE_5 = "99458"

    def __str__(self) -> str:
        return str(self.value)

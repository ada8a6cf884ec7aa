from enum import StrEnum


class ThermometerPayloadUnit(StrEnum):
    CEL = "Cel"
    VALUE_1 = "[degF]"

    def __str__(self) -> str:
        return str(self.value)

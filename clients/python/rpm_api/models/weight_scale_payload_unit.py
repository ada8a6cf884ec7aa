from enum import StrEnum


class WeightScalePayloadUnit(StrEnum):
    KG = "kg"
    LB = "lb"

    def __str__(self) -> str:
        return str(self.value)

"""Configuration of the synthetic world: size, seed, time windows and defect rates."""

from __future__ import annotations

import datetime as dt
import math

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lingshu.synth.errors import SynthError


class DefectRates(BaseModel):
    """Share of eligible records that receive each defect kind (0 disables a kind).

    A record gets at most one defect per table, so the rates that apply to one table must add up
    to at most 1; every injected defect is written to ``ground_truth/defects``.
    """

    model_config = ConfigDict(extra="forbid")

    duplicate: float = Field(0.05, ge=0, le=0.5, description="extra copy in another source, with variants")
    invalid_check: float = Field(0.02, ge=0, le=0.5, description="ID/USCC with a wrong check character")
    sex_mismatch: float = Field(0.01, ge=0, le=0.5, description="sex field disagrees with the ID")
    birth_mismatch: float = Field(0.01, ge=0, le=0.5, description="birth date field disagrees with the ID")
    missing_required: float = Field(0.02, ge=0, le=0.5, description="a required field left empty")
    crs_mislabel: float = Field(0.05, ge=0, le=0.5, description="GCJ-02/BD-09 coordinates labelled WGS84")
    out_of_area: float = Field(0.01, ge=0, le=0.5, description="point outside Lingang")
    stale: float = Field(0.03, ge=0, le=0.5, description="record not updated after a real change")
    code_mismatch: float = Field(0.04, ge=0, le=0.5, description="project code differs across libraries")
    nonstandard: float = Field(0.1, ge=0, le=0.5, description="education/title written in a non-standard way")
    mixed_date: float = Field(0.15, ge=0, le=0.5, description="date written as 2023年5月1日, 2023/5/1 or Excel serial")


class SynthConfig(BaseModel):
    """Everything that determines the generated world. Same config, same bytes."""

    model_config = ConfigDict(extra="forbid")

    scale: float = Field(1.0, gt=0, le=1000, description="multiplies register sizes (and traffic days)")
    seed: int = Field(20240101, ge=0)
    start_date: dt.date = Field(dt.date(2023, 1, 1), description="first month of social insurance / events")
    months: int = Field(36, ge=12, le=120, description="months of employment and social-insurance history")
    traffic_days: int | None = Field(None, ge=1, description="days of floating-car speeds; default by scale")
    passenger_days: int | None = Field(None, ge=1, description="days of passenger counts; default by scale")
    defects: DefectRates = Field(default_factory=DefectRates)
    db_url: str | None = Field(None, description="SQLAlchemy URL of the upstream DB; default SQLite file in the output")
    excel: bool = Field(True, description="write Excel workbooks (slowest writer; off for quick tests)")
    chunk_rows: int = Field(500_000, ge=1000, description="rows per streamed batch of big event tables")

    @model_validator(mode="after")
    def _check_window(self) -> SynthConfig:
        if self.start_date.day != 1:
            raise SynthError(
                f"start_date {self.start_date} is not the first of a month",
                hint="use a date like 2023-01-01; social insurance is monthly",
            )
        return self

    # Sizes. Scale 1 is the demo world (< 1 minute); registers grow linearly with scale.
    def n(self, base: int, minimum: int = 1) -> int:
        """``base`` records at scale 1, scaled, never below ``minimum``."""
        return max(minimum, int(round(base * self.scale)))

    @property
    def end_date(self) -> dt.date:
        """Last day of the history window."""
        y, m = divmod(self.start_date.month - 1 + self.months, 12)
        return dt.date(self.start_date.year + y, m + 1, 1) - dt.timedelta(days=1)

    @property
    def n_traffic_days(self) -> int:
        """Days of floating-car data: 30 at scale 1 (GB/T 33171 free flow needs 30 days), sqrt growth above."""
        if self.traffic_days is not None:
            return self.traffic_days
        if self.scale < 1:
            return max(1, int(round(30 * self.scale)))
        return int(round(30 * math.sqrt(self.scale)))

    @property
    def n_passenger_days(self) -> int:
        """Days of passenger counts: 61 at scale 1, covering the National Day holiday."""
        if self.passenger_days is not None:
            return self.passenger_days
        return max(2, int(round(61 * min(self.scale, 1.0) if self.scale < 1 else 61 * math.sqrt(self.scale))))

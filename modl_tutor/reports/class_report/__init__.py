"""The class misconception report: per exercise, scores, known mistakes, diagnoses, wrong answers."""

from modl_tutor.reports.class_report.analysis import ClassReport, ExerciseStats, analyse

__all__ = ["ClassReport", "ExerciseStats", "analyse"]

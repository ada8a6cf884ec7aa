"""Contains all the data models used in inputs/outputs"""

from .access_log_entry import AccessLogEntry
from .appointment import Appointment
from .appointment_create import AppointmentCreate
from .appointment_status import AppointmentStatus
from .appointment_update import AppointmentUpdate
from .appointment_update_status_type_0 import AppointmentUpdateStatusType0
from .attachment import Attachment
from .attachment_create import AttachmentCreate
from .attachment_status import AttachmentStatus
from .attachment_upload import AttachmentUpload
from .attachment_upload_status import AttachmentUploadStatus
from .attachment_upload_uploadheaders import AttachmentUploadUploadheaders
from .audit_entry import AuditEntry
from .audit_entry_metadata_type_0 import AuditEntryMetadataType0
from .billing_item import BillingItem
from .billing_report import BillingReport
from .blood_pressure_payload import BloodPressurePayload
from .break_glass import BreakGlass
from .break_glass_request import BreakGlassRequest
from .broken_entry import BrokenEntry
from .candidate_code import CandidateCode
from .candidate_code_code import CandidateCodeCode
from .care_team_member import CareTeamMember
from .confirm_request import ConfirmRequest
from .contact import Contact
from .contact_details import ContactDetails
from .device import Device
from .device_create import DeviceCreate
from .device_create_devicetype import DeviceCreateDevicetype
from .device_data_blood_pressure import DeviceDataBloodPressure
from .device_data_blood_pressure_source import DeviceDataBloodPressureSource
from .device_data_correction import DeviceDataCorrection
from .device_data_create_blood_pressure import DeviceDataCreateBloodPressure
from .device_data_create_glucometer import DeviceDataCreateGlucometer
from .device_data_create_heart_rate import DeviceDataCreateHeartRate
from .device_data_create_pulse_oximeter import DeviceDataCreatePulseOximeter
from .device_data_create_thermometer import DeviceDataCreateThermometer
from .device_data_create_weight_scale import DeviceDataCreateWeightScale
from .device_data_glucometer import DeviceDataGlucometer
from .device_data_glucometer_source import DeviceDataGlucometerSource
from .device_data_heart_rate import DeviceDataHeartRate
from .device_data_heart_rate_source import DeviceDataHeartRateSource
from .device_data_pulse_oximeter import DeviceDataPulseOximeter
from .device_data_pulse_oximeter_source import DeviceDataPulseOximeterSource
from .device_data_thermometer import DeviceDataThermometer
from .device_data_thermometer_source import DeviceDataThermometerSource
from .device_data_weight_scale import DeviceDataWeightScale
from .device_data_weight_scale_source import DeviceDataWeightScaleSource
from .device_devicetype import DeviceDevicetype
from .device_period import DevicePeriod
from .device_status import DeviceStatus
from .fhir_metadata_response_200 import FhirMetadataResponse200
from .get_fhir_export_status_response_200 import GetFhirExportStatusResponse200
from .get_open_api_document_response_200 import GetOpenApiDocumentResponse200
from .glucometer_payload import GlucometerPayload
from .glucometer_payload_meal_context_type_0 import GlucometerPayloadMealContextType0
from .glucometer_payload_unit import GlucometerPayloadUnit
from .graph_ql_request import GraphQLRequest
from .health_status import HealthStatus
from .heart_rate_payload import HeartRatePayload
from .lab_result import LabResult
from .lab_result_create import LabResultCreate
from .lab_result_create_status import LabResultCreateStatus
from .lab_result_status import LabResultStatus
from .lab_result_update import LabResultUpdate
from .lab_result_update_status_type_0 import LabResultUpdateStatusType0
from .lab_result_version import LabResultVersion
from .lab_result_version_status import LabResultVersionStatus
from .legal_hold import LegalHold
from .list_alerts_severity_type_0 import ListAlertsSeverityType0
from .list_alerts_status import ListAlertsStatus
from .list_device_data_device_type_type_0 import ListDeviceDataDeviceTypeType0
from .list_monitoring_logs_kind_type_0 import ListMonitoringLogsKindType0
from .list_monitoring_logs_status_type_0 import ListMonitoringLogsStatusType0
from .list_response_access_log_entry import ListResponseAccessLogEntry
from .list_response_appointment import ListResponseAppointment
from .list_response_audit_entry import ListResponseAuditEntry
from .list_response_break_glass import ListResponseBreakGlass
from .list_response_care_team_member import ListResponseCareTeamMember
from .list_response_device import ListResponseDevice
from .list_response_device_data import ListResponseDeviceData
from .list_response_lab_result import ListResponseLabResult
from .list_response_lab_result_version import ListResponseLabResultVersion
from .list_response_monitoring_log import ListResponseMonitoringLog
from .list_response_patient_profile import ListResponsePatientProfile
from .list_response_rejected_reading import ListResponseRejectedReading
from .list_response_share import ListResponseShare
from .list_response_thread import ListResponseThread
from .list_response_treatment_plan import ListResponseTreatmentPlan
from .list_response_user import ListResponseUser
from .list_response_user_message import ListResponseUserMessage
from .list_treatment_plans_status_type_0 import ListTreatmentPlansStatusType0
from .list_users_role_type_0 import ListUsersRoleType0
from .live_ticket import LiveTicket
from .login_request import LoginRequest
from .logout_request import LogoutRequest
from .me import Me
from .me_role import MeRole
from .me_status import MeStatus
from .message_create import MessageCreate
from .monitoring_log import MonitoringLog
from .monitoring_log_create import MonitoringLogCreate
from .monitoring_log_create_kind import MonitoringLogCreateKind
from .monitoring_log_kind import MonitoringLogKind
from .monitoring_log_reason_type_0 import MonitoringLogReasonType0
from .monitoring_log_severity_type_0 import MonitoringLogSeverityType0
from .monitoring_log_status import MonitoringLogStatus
from .monitoring_log_update import MonitoringLogUpdate
from .monitoring_log_update_status import MonitoringLogUpdateStatus
from .operation_outcome import OperationOutcome
from .operation_outcome_issue_item import OperationOutcomeIssueItem
from .operation_outcome_issue_item_details import OperationOutcomeIssueItemDetails
from .operation_outcome_issue_item_severity import OperationOutcomeIssueItemSeverity
from .patient_create import PatientCreate
from .patient_profile import PatientProfile
from .patient_update import PatientUpdate
from .problem import Problem
from .problem_detail import ProblemDetail
from .provisioned_device import ProvisionedDevice
from .provisioned_device_devicetype import ProvisionedDeviceDevicetype
from .provisioned_device_status import ProvisionedDeviceStatus
from .pulse_oximeter_payload import PulseOximeterPayload
from .read_fhir_observation_response_200 import ReadFhirObservationResponse200
from .read_fhir_patient_response_200 import ReadFhirPatientResponse200
from .reading_day import ReadingDay
from .reading_days import ReadingDays
from .refresh_request import RefreshRequest
from .rejected_reading import RejectedReading
from .role_change_request import RoleChangeRequest
from .role_change_request_role import RoleChangeRequestRole
from .search_fhir_appointments_response_200 import SearchFhirAppointmentsResponse200
from .search_fhir_care_plans_response_200 import SearchFhirCarePlansResponse200
from .search_fhir_devices_response_200 import SearchFhirDevicesResponse200
from .search_fhir_diagnostic_reports_response_200 import (
    SearchFhirDiagnosticReportsResponse200,
)
from .search_fhir_observations_response_200 import SearchFhirObservationsResponse200
from .search_fhir_patients_response_200 import SearchFhirPatientsResponse200
from .share import Share
from .share_create import ShareCreate
from .share_status import ShareStatus
from .signup_request import SignupRequest
from .signup_request_role import SignupRequestRole
from .signup_response import SignupResponse
from .signup_response_role import SignupResponseRole
from .signup_response_status import SignupResponseStatus
from .sso_provider import SsoProvider
from .sso_provider_type import SsoProviderType
from .sso_providers import SsoProviders
from .sso_token_request import SsoTokenRequest
from .thermometer_payload import ThermometerPayload
from .thermometer_payload_unit import ThermometerPayloadUnit
from .thread import Thread
from .thread_create import ThreadCreate
from .threshold_rule import ThresholdRule
from .threshold_rule_devicetype import ThresholdRuleDevicetype
from .threshold_rule_severity import ThresholdRuleSeverity
from .threshold_rules import ThresholdRules
from .thresholds import Thresholds
from .token_response import TokenResponse
from .transition import Transition
from .treatment_plan import TreatmentPlan
from .treatment_plan_create import TreatmentPlanCreate
from .treatment_plan_create_status import TreatmentPlanCreateStatus
from .treatment_plan_status import TreatmentPlanStatus
from .treatment_plan_update import TreatmentPlanUpdate
from .treatment_plan_update_status_type_0 import TreatmentPlanUpdateStatusType0
from .user import User
from .user_message import UserMessage
from .user_message_status import UserMessageStatus
from .user_role import UserRole
from .user_status import UserStatus
from .verify_result import VerifyResult
from .weight_scale_payload import WeightScalePayload
from .weight_scale_payload_unit import WeightScalePayloadUnit

__all__ = (
    "AccessLogEntry",
    "Appointment",
    "AppointmentCreate",
    "AppointmentStatus",
    "AppointmentUpdate",
    "AppointmentUpdateStatusType0",
    "Attachment",
    "AttachmentCreate",
    "AttachmentStatus",
    "AttachmentUpload",
    "AttachmentUploadStatus",
    "AttachmentUploadUploadheaders",
    "AuditEntry",
    "AuditEntryMetadataType0",
    "BillingItem",
    "BillingReport",
    "BloodPressurePayload",
    "BreakGlass",
    "BreakGlassRequest",
    "BrokenEntry",
    "CandidateCode",
    "CandidateCodeCode",
    "CareTeamMember",
    "ConfirmRequest",
    "Contact",
    "ContactDetails",
    "Device",
    "DeviceCreate",
    "DeviceCreateDevicetype",
    "DeviceDataBloodPressure",
    "DeviceDataBloodPressureSource",
    "DeviceDataCorrection",
    "DeviceDataCreateBloodPressure",
    "DeviceDataCreateGlucometer",
    "DeviceDataCreateHeartRate",
    "DeviceDataCreatePulseOximeter",
    "DeviceDataCreateThermometer",
    "DeviceDataCreateWeightScale",
    "DeviceDataGlucometer",
    "DeviceDataGlucometerSource",
    "DeviceDataHeartRate",
    "DeviceDataHeartRateSource",
    "DeviceDataPulseOximeter",
    "DeviceDataPulseOximeterSource",
    "DeviceDataThermometer",
    "DeviceDataThermometerSource",
    "DeviceDataWeightScale",
    "DeviceDataWeightScaleSource",
    "DeviceDevicetype",
    "DevicePeriod",
    "DeviceStatus",
    "FhirMetadataResponse200",
    "GetFhirExportStatusResponse200",
    "GetOpenApiDocumentResponse200",
    "GlucometerPayload",
    "GlucometerPayloadMealContextType0",
    "GlucometerPayloadUnit",
    "GraphQLRequest",
    "HealthStatus",
    "HeartRatePayload",
    "LabResult",
    "LabResultCreate",
    "LabResultCreateStatus",
    "LabResultStatus",
    "LabResultUpdate",
    "LabResultUpdateStatusType0",
    "LabResultVersion",
    "LabResultVersionStatus",
    "LegalHold",
    "ListAlertsSeverityType0",
    "ListAlertsStatus",
    "ListDeviceDataDeviceTypeType0",
    "ListMonitoringLogsKindType0",
    "ListMonitoringLogsStatusType0",
    "ListResponseAccessLogEntry",
    "ListResponseAppointment",
    "ListResponseAuditEntry",
    "ListResponseBreakGlass",
    "ListResponseCareTeamMember",
    "ListResponseDevice",
    "ListResponseDeviceData",
    "ListResponseLabResult",
    "ListResponseLabResultVersion",
    "ListResponseMonitoringLog",
    "ListResponsePatientProfile",
    "ListResponseRejectedReading",
    "ListResponseShare",
    "ListResponseThread",
    "ListResponseTreatmentPlan",
    "ListResponseUser",
    "ListResponseUserMessage",
    "ListTreatmentPlansStatusType0",
    "ListUsersRoleType0",
    "LiveTicket",
    "LoginRequest",
    "LogoutRequest",
    "Me",
    "MeRole",
    "MessageCreate",
    "MeStatus",
    "MonitoringLog",
    "MonitoringLogCreate",
    "MonitoringLogCreateKind",
    "MonitoringLogKind",
    "MonitoringLogReasonType0",
    "MonitoringLogSeverityType0",
    "MonitoringLogStatus",
    "MonitoringLogUpdate",
    "MonitoringLogUpdateStatus",
    "OperationOutcome",
    "OperationOutcomeIssueItem",
    "OperationOutcomeIssueItemDetails",
    "OperationOutcomeIssueItemSeverity",
    "PatientCreate",
    "PatientProfile",
    "PatientUpdate",
    "Problem",
    "ProblemDetail",
    "ProvisionedDevice",
    "ProvisionedDeviceDevicetype",
    "ProvisionedDeviceStatus",
    "PulseOximeterPayload",
    "ReadFhirObservationResponse200",
    "ReadFhirPatientResponse200",
    "ReadingDay",
    "ReadingDays",
    "RefreshRequest",
    "RejectedReading",
    "RoleChangeRequest",
    "RoleChangeRequestRole",
    "SearchFhirAppointmentsResponse200",
    "SearchFhirCarePlansResponse200",
    "SearchFhirDevicesResponse200",
    "SearchFhirDiagnosticReportsResponse200",
    "SearchFhirObservationsResponse200",
    "SearchFhirPatientsResponse200",
    "Share",
    "ShareCreate",
    "ShareStatus",
    "SignupRequest",
    "SignupRequestRole",
    "SignupResponse",
    "SignupResponseRole",
    "SignupResponseStatus",
    "SsoProvider",
    "SsoProviders",
    "SsoProviderType",
    "SsoTokenRequest",
    "ThermometerPayload",
    "ThermometerPayloadUnit",
    "Thread",
    "ThreadCreate",
    "ThresholdRule",
    "ThresholdRuleDevicetype",
    "ThresholdRules",
    "ThresholdRuleSeverity",
    "Thresholds",
    "TokenResponse",
    "Transition",
    "TreatmentPlan",
    "TreatmentPlanCreate",
    "TreatmentPlanCreateStatus",
    "TreatmentPlanStatus",
    "TreatmentPlanUpdate",
    "TreatmentPlanUpdateStatusType0",
    "User",
    "UserMessage",
    "UserMessageStatus",
    "UserRole",
    "UserStatus",
    "VerifyResult",
    "WeightScalePayload",
    "WeightScalePayloadUnit",
)

// Reads the function-table members we use by slot number. The OrtApi table is
// a plain array of function pointers that only grows, so a slot never moves.
#include "ort_api.h"

#include <cstring>

namespace faultsense {
namespace ort {
namespace {

template <typename F>
void Take(const void* table, size_t slot, F& member) {
  const void* const* slots = static_cast<const void* const*>(table);
  const void* p = slots[slot];
  std::memcpy(&member, &p, sizeof(member));
}

}  // namespace

void FillFunctions(const void* t, Functions& f) {
  Take(t, 0, f.CreateStatus);
  Take(t, 1, f.GetErrorCode);
  Take(t, 2, f.GetErrorMessage);
  Take(t, 3, f.CreateEnv);
  Take(t, 7, f.CreateSession);
  Take(t, 8, f.CreateSessionFromArray);
  Take(t, 9, f.Run);
  Take(t, 10, f.CreateSessionOptions);
  Take(t, 13, f.SetSessionExecutionMode);
  Take(t, 16, f.EnableMemPattern);
  Take(t, 17, f.DisableMemPattern);
  Take(t, 18, f.EnableCpuMemArena);
  Take(t, 19, f.DisableCpuMemArena);
  Take(t, 22, f.SetSessionLogSeverityLevel);
  Take(t, 23, f.SetSessionGraphOptimizationLevel);
  Take(t, 24, f.SetIntraOpNumThreads);
  Take(t, 25, f.SetInterOpNumThreads);
  Take(t, 30, f.SessionGetInputCount);
  Take(t, 31, f.SessionGetOutputCount);
  Take(t, 33, f.SessionGetInputTypeInfo);
  Take(t, 34, f.SessionGetOutputTypeInfo);
  Take(t, 36, f.SessionGetInputName);
  Take(t, 37, f.SessionGetOutputName);
  Take(t, 39, f.CreateRunOptions);
  Take(t, 49, f.CreateTensorWithDataAsOrtValue);
  Take(t, 50, f.IsTensor);
  Take(t, 51, f.GetTensorMutableData);
  Take(t, 55, f.CastTypeInfoToTensorInfo);
  Take(t, 56, f.GetOnnxTypeFromTypeInfo);
  Take(t, 60, f.GetTensorElementType);
  Take(t, 61, f.GetDimensionsCount);
  Take(t, 62, f.GetDimensions);
  Take(t, 64, f.GetTensorShapeElementCount);
  Take(t, 65, f.GetTensorTypeAndShape);
  Take(t, 69, f.CreateCpuMemoryInfo);
  Take(t, 76, f.AllocatorFree);
  Take(t, 78, f.GetAllocatorWithDefaultOptions);
  Take(t, 92, f.ReleaseEnv);
  Take(t, 93, f.ReleaseStatus);
  Take(t, 94, f.ReleaseMemoryInfo);
  Take(t, 95, f.ReleaseSession);
  Take(t, 96, f.ReleaseValue);
  Take(t, 97, f.ReleaseRunOptions);
  Take(t, 98, f.ReleaseTypeInfo);
  Take(t, 99, f.ReleaseTensorTypeAndShapeInfo);
  Take(t, 100, f.ReleaseSessionOptions);
  Take(t, 125, f.GetAvailableProviders);
  Take(t, 126, f.ReleaseAvailableProviders);
  Take(t, 130, f.AddSessionConfigEntry);
  Take(t, 144, f.CreateAndRegisterAllocator);
  Take(t, 157, f.ReleaseArenaCfg);
  Take(t, 164, f.CreateArenaCfgV2);
  Take(t, 165, f.AddRunConfigEntry);
  Take(t, 216, f.SessionOptionsAppendExecutionProvider);
}

void FillPluginFunctions(const void* t, PluginFunctions& p) {
  Take(t, 297, p.GetKeyValue);
  Take(t, 298, p.GetKeyValuePairs);
  Take(t, 301, p.RegisterExecutionProviderLibrary);
  Take(t, 302, p.UnregisterExecutionProviderLibrary);
  Take(t, 303, p.GetEpDevices);
  Take(t, 304, p.SessionOptionsAppendExecutionProvider_V2);
  Take(t, 307, p.HardwareDevice_Type);
  Take(t, 308, p.HardwareDevice_VendorId);
  Take(t, 309, p.HardwareDevice_Vendor);
  Take(t, 310, p.HardwareDevice_DeviceId);
  Take(t, 311, p.HardwareDevice_Metadata);
  Take(t, 312, p.EpDevice_EpName);
  Take(t, 313, p.EpDevice_EpVendor);
  Take(t, 314, p.EpDevice_EpMetadata);
  Take(t, 315, p.EpDevice_EpOptions);
  Take(t, 316, p.EpDevice_Device);
}

size_t ElementSize(int type) {
  switch (type) {
    case kFloat: case kInt32: case kUint32: return 4;
    case kUint8: case kInt8: case kBool: return 1;
    case kUint16: case kInt16: case kFloat16: case kBfloat16: return 2;
    case kInt64: case kUint64: case kDouble: return 8;
    default: return 0;
  }
}

const char* ErrorCodeName(int code) {
  static const char* const names[] = {
      "ORT_OK", "ORT_FAIL", "ORT_INVALID_ARGUMENT", "ORT_NO_SUCHFILE", "ORT_NO_MODEL", "ORT_ENGINE_ERROR",
      "ORT_RUNTIME_EXCEPTION", "ORT_INVALID_PROTOBUF", "ORT_MODEL_LOADED", "ORT_NOT_IMPLEMENTED",
      "ORT_INVALID_GRAPH", "ORT_EP_FAIL"};
  if (code >= 0 && code < static_cast<int>(sizeof(names) / sizeof(names[0]))) return names[code];
  return "ORT_UNKNOWN";
}

}  // namespace ort
}  // namespace faultsense

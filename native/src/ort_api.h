// Our own declarations of the few ONNX Runtime C API entries the bridge uses.
// No ONNX Runtime header is shipped on npm, so nothing here comes from one:
// the library hands out a table of function pointers (OrtApi) that only ever
// grows at the end, and we read the members we need by their slot index.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace faultsense {
namespace ort {

// Opaque handles: we only ever hold pointers to them.
struct Env;
struct Status;
struct SessionOptions;
struct Session;
struct RunOptions;
struct Value;
struct TypeInfo;
struct TensorInfo;
struct MemoryInfo;
struct Allocator;
struct KeyValuePairs;
struct EpDevice;
struct HardwareDevice;
struct ArenaCfg;

using St = Status*;  // NULL means success

// What OrtGetApiBase() returns: two function pointers.
struct ApiBase {
  const void* (*GetApi)(uint32_t version);
  const char* (*GetVersionString)();
};

// The members we call, filled from the table by slot number.
struct Functions {
  // since API 1
  St (*CreateStatus)(int code, const char* msg);
  int (*GetErrorCode)(const Status*);
  const char* (*GetErrorMessage)(const Status*);
  St (*CreateEnv)(int log_level, const char* log_id, Env** out);
  St (*CreateSession)(const Env*, const char* path, const SessionOptions*, Session** out);
  St (*CreateSessionFromArray)(const Env*, const void* data, size_t bytes, const SessionOptions*, Session** out);
  St (*Run)(Session*, const RunOptions*, const char* const* in_names, const Value* const* inputs, size_t n_in,
            const char* const* out_names, size_t n_out, Value** outputs);
  St (*CreateSessionOptions)(SessionOptions** out);
  St (*SetSessionExecutionMode)(SessionOptions*, int mode);
  St (*EnableMemPattern)(SessionOptions*);
  St (*DisableMemPattern)(SessionOptions*);
  St (*EnableCpuMemArena)(SessionOptions*);
  St (*DisableCpuMemArena)(SessionOptions*);
  St (*SetSessionLogSeverityLevel)(SessionOptions*, int level);
  St (*SetSessionGraphOptimizationLevel)(SessionOptions*, int level);
  St (*SetIntraOpNumThreads)(SessionOptions*, int n);
  St (*SetInterOpNumThreads)(SessionOptions*, int n);
  St (*SessionGetInputCount)(const Session*, size_t* out);
  St (*SessionGetOutputCount)(const Session*, size_t* out);
  St (*SessionGetInputTypeInfo)(const Session*, size_t index, TypeInfo** out);
  St (*SessionGetOutputTypeInfo)(const Session*, size_t index, TypeInfo** out);
  St (*SessionGetInputName)(const Session*, size_t index, Allocator*, char** out);
  St (*SessionGetOutputName)(const Session*, size_t index, Allocator*, char** out);
  St (*CreateRunOptions)(RunOptions** out);
  St (*CreateTensorWithDataAsOrtValue)(const MemoryInfo*, void* data, size_t bytes, const int64_t* shape,
                                       size_t rank, int elem_type, Value** out);
  St (*IsTensor)(const Value*, int* out);
  St (*GetTensorMutableData)(Value*, void** out);
  St (*CastTypeInfoToTensorInfo)(const TypeInfo*, const TensorInfo** out);
  St (*GetOnnxTypeFromTypeInfo)(const TypeInfo*, int* out);
  St (*GetTensorElementType)(const TensorInfo*, int* out);
  St (*GetDimensionsCount)(const TensorInfo*, size_t* out);
  St (*GetDimensions)(const TensorInfo*, int64_t* dims, size_t length);
  St (*GetTensorShapeElementCount)(const TensorInfo*, size_t* out);
  St (*GetTensorTypeAndShape)(const Value*, TensorInfo** out);
  St (*CreateCpuMemoryInfo)(int allocator_type, int mem_type, MemoryInfo** out);
  St (*AllocatorFree)(Allocator*, void* p);
  St (*GetAllocatorWithDefaultOptions)(Allocator** out);
  void (*ReleaseEnv)(Env*);
  void (*ReleaseStatus)(Status*);
  void (*ReleaseMemoryInfo)(MemoryInfo*);
  void (*ReleaseSession)(Session*);
  void (*ReleaseValue)(Value*);
  void (*ReleaseRunOptions)(RunOptions*);
  void (*ReleaseTypeInfo)(TypeInfo*);
  void (*ReleaseTensorTypeAndShapeInfo)(TensorInfo*);
  void (*ReleaseSessionOptions)(SessionOptions*);
  // since API 4 / 5
  St (*GetAvailableProviders)(char*** list, int* count);
  St (*ReleaseAvailableProviders)(char** list, int count);
  St (*AddSessionConfigEntry)(SessionOptions*, const char* key, const char* value);
  // since API 5 / 6 / 8: allocators shared through the environment, run config entries
  St (*CreateAndRegisterAllocator)(Env*, const MemoryInfo*, const ArenaCfg*);
  void (*ReleaseArenaCfg)(ArenaCfg*);
  St (*CreateArenaCfgV2)(const char* const* keys, const size_t* values, size_t count, ArenaCfg** out);
  St (*AddRunConfigEntry)(RunOptions*, const char* key, const char* value);
  // since API 12
  St (*SessionOptionsAppendExecutionProvider)(SessionOptions*, const char* name, const char* const* keys,
                                              const char* const* values, size_t count);
};

// Members added in API 22 (plugin execution providers); only filled when the
// library can hand out a version-22 table.
struct PluginFunctions {
  const char* (*GetKeyValue)(const KeyValuePairs*, const char* key);
  void (*GetKeyValuePairs)(const KeyValuePairs*, const char* const** keys, const char* const** values, size_t* count);
  St (*RegisterExecutionProviderLibrary)(Env*, const char* name, const char* path);
  St (*UnregisterExecutionProviderLibrary)(Env*, const char* name);
  St (*GetEpDevices)(const Env*, const EpDevice* const** devices, size_t* count);
  St (*SessionOptionsAppendExecutionProvider_V2)(SessionOptions*, Env*, const EpDevice* const* devices,
                                                 size_t n_devices, const char* const* keys,
                                                 const char* const* values, size_t n_options);
  int (*HardwareDevice_Type)(const HardwareDevice*);
  uint32_t (*HardwareDevice_VendorId)(const HardwareDevice*);
  const char* (*HardwareDevice_Vendor)(const HardwareDevice*);
  uint32_t (*HardwareDevice_DeviceId)(const HardwareDevice*);
  const KeyValuePairs* (*HardwareDevice_Metadata)(const HardwareDevice*);
  const char* (*EpDevice_EpName)(const EpDevice*);
  const char* (*EpDevice_EpVendor)(const EpDevice*);
  const KeyValuePairs* (*EpDevice_EpMetadata)(const EpDevice*);
  const KeyValuePairs* (*EpDevice_EpOptions)(const EpDevice*);
  const HardwareDevice* (*EpDevice_Device)(const EpDevice*);
};

// The base table version we ask for: slot 216 (generic EP append) arrived in 12.
constexpr uint32_t kBaseApiVersion = 12;
// Plugin EP entries arrived in 22.
constexpr uint32_t kPluginApiVersion = 22;

// Fills `f` from a table obtained with GetApi(kBaseApiVersion).
void FillFunctions(const void* table, Functions& f);
// Fills `p` from a table obtained with GetApi(kPluginApiVersion).
void FillPluginFunctions(const void* table, PluginFunctions& p);

// Element type codes (ONNXTensorElementDataType).
enum ElementType : int {
  kFloat = 1, kUint8 = 2, kInt8 = 3, kUint16 = 4, kInt16 = 5, kInt32 = 6, kInt64 = 7, kString = 8,
  kBool = 9, kFloat16 = 10, kDouble = 11, kUint32 = 12, kUint64 = 13, kBfloat16 = 16,
};

// Bytes per element, 0 for types the bridge does not carry (strings).
size_t ElementSize(int type);
// ORT error code → its name (ORT_FAIL, ORT_INVALID_ARGUMENT, ...).
const char* ErrorCodeName(int code);

}  // namespace ort
}  // namespace faultsense

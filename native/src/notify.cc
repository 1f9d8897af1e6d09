// systemd notification protocol: one datagram of "KEY=VALUE\n..." lines sent to
// the AF_UNIX socket named by $NOTIFY_SOCKET. Node has no unix datagram sockets,
// which is why this lives in the addon. A leading '@' names a socket in the
// abstract namespace (its first byte is NUL on the wire).
#include "modules.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace faultsense {
namespace {

// Returns 0 on success or an errno value.
int SendDatagram(const std::string& target, const std::string& payload) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (target.empty() || target.size() >= sizeof(addr.sun_path)) return EINVAL;
  if (target[0] != '/' && target[0] != '@') return EAFNOSUPPORT;
  std::memcpy(addr.sun_path, target.data(), target.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + target.size());
  if (target[0] == '@') {
    addr.sun_path[0] = '\0';
  } else {
    len += 1;  // include the terminating NUL for filesystem paths
  }
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  ssize_t sent;
  do {
    sent = ::sendto(fd, payload.data(), payload.size(), MSG_NOSIGNAL,
                    reinterpret_cast<const sockaddr*>(&addr), len);
  } while (sent < 0 && errno == EINTR);
  int err = sent < 0 ? errno : 0;
  ::close(fd);
  return err;
}

// notify(socketPath: string, message: string): void — throws with errno text.
Napi::Value Notify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString()) {
    Napi::TypeError::New(env, "notify(socketPath, message): two strings expected")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string target = info[0].As<Napi::String>().Utf8Value();
  std::string payload = info[1].As<Napi::String>().Utf8Value();
  int err = SendDatagram(target, payload);
  if (err != 0) {
    Napi::Error e = Napi::Error::New(
        env, std::string("sd_notify to ") + target + " failed: " + std::strerror(err));
    e.Set("errno", Napi::Number::New(env, err));
    e.ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

}  // namespace

void InitNotify(Napi::Env env, Napi::Object exports) {
  exports.Set("notify", Napi::Function::New(env, Notify, "notify"));
}

}  // namespace faultsense

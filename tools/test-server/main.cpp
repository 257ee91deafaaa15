// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// musubi-test-server: MusubiTestServer as a standalone process, for
// prototyping QML against a fake backend and for cross-language tests.

#include "examplestores.h"

#include <musubitestserver.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

#ifdef MUSUBI_HAVE_DEMO_STORES
#include <musubidemostores.h>
#endif

using namespace Qt::StringLiterals;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe work here: wake the event loop through the pipe.
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"musubi-test-server"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"An in-process Musubi server (Phoenix Channels v2) serving test stores."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(u"port"_s, u"Port to listen on (0 = any free port)."_s,
                                        u"N"_s, u"0"_s);
    const QCommandLineOption profileOption(u"profile"_s,
                                           u"Transport generations served: both, shared "
                                           "(0.4-0.11) or per-root (0.12+)."_s,
                                           u"profile"_s, u"both"_s);
    const QCommandLineOption demoOption(u"demo"_s, u"Serve the demo stores."_s);
    parser.addOptions({portOption, profileOption, demoOption});
    parser.process(app);

    bool ok = false;
    const int port = parser.value(portOption).toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        std::fprintf(stderr, "musubi-test-server: invalid --port\n");
        return 2;
    }
    MusubiTestServer server;
    const QString profile = parser.value(profileOption);
    if (profile == u"both"_s) {
        server.setProfile(MusubiTestServer::Profile::Both);
    } else if (profile == u"shared"_s) {
        server.setProfile(MusubiTestServer::Profile::Shared);
    } else if (profile == u"per-root"_s) {
        server.setProfile(MusubiTestServer::Profile::PerRoot);
    } else {
        std::fprintf(stderr, "musubi-test-server: --profile must be both, shared or per-root\n");
        return 2;
    }
    if (parser.isSet(demoOption)) {
#ifdef MUSUBI_HAVE_DEMO_STORES
        registerDemoStores(&server);
#else
        registerExampleStores(&server);
#endif
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
        std::perror("musubi-test-server: socketpair");
        return 1;
    }
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(signalPipe[0], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    if (!server.listen(port)) {
        std::fprintf(stderr, "musubi-test-server: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    std::printf("listening: %s\n", server.url().toString().toUtf8().constData());
    std::fflush(stdout);

    const int status = app.exec();
    server.close();
    return status;
}

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// The server side of the phoenix.js interop test: MusubiTestServer with one
// deterministic store, Interop.CounterStore. Prints the listening line and
// serves until its stdin closes (the node script owns its lifetime).

#include <musubitestserver.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    MusubiTestServer server;
    server.setAuthenticator(
            [](const QVariantMap &params) { return params.value(u"token"_s) != u"bad"_s; });
    server.registerRoot(u"Interop.CounterStore"_s, [](const MusubiTestMount &mount, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, mount.params.value(u"count"_s).toInt()},
                         {u"token"_s, mount.connectParams.value(u"token"_s).toString()}});
        store->onCommand(u"increment"_s, [store](const QJsonObject &payload) {
            store->setValue(u"count"_s,
                            store->value(u"count"_s).toInt() + payload.value(u"amount"_s).toInt(1));
            store->pushEvent(u"incremented"_s, QJsonObject{{u"by"_s, payload.value(u"amount"_s)}});
            return MusubiTestReply::ok({{u"count"_s, store->value(u"count"_s)}});
        });
        return store;
    });
    if (!server.listen()) {
        std::fprintf(stderr, "interop host: cannot listen\n");
        return 1;
    }
    std::printf("listening: %s\n", server.url().toString().toUtf8().constData());
    std::fflush(stdout);

    QSocketNotifier stdinWatch(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&stdinWatch, &QSocketNotifier::activated, &app, [&] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0)
            QCoreApplication::quit();
    });
    return app.exec();
}

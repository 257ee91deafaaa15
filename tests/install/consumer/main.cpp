// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Checks an installed Musubi from the outside: the C++ libraries link and
// work (MusubiTestServer + MusubiRoot), and `import Musubi` resolves to the
// installed QML module. Exit code 0 on success; each failure says what broke.

// Both include styles: <Musubi/...> and the flat names.
#include <Musubi/musubiconnection.h>
#include <Musubi/musubiroot.h>
#include <Musubi/musubiteststore.h>
#include <musubistore.h>
#include <musubitestserver.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

bool waitFor(const std::function<bool()> &condition)
{
    QDeadlineTimer deadline(10000);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

int fail(const char *what)
{
    std::fprintf(stderr, "consumer: FAILED: %s\n", what);
    return 1;
}

// The shared objects of this process whose file name contains \a name.
QStringList loadedFrom(const QString &name)
{
    QFile maps(u"/proc/self/maps"_s);
    QStringList paths;
    if (!maps.open(QIODevice::ReadOnly))
        return paths;
    const QList<QByteArray> lines = maps.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype slash = line.indexOf('/');
        if (slash < 0)
            continue;
        const QString path = QString::fromUtf8(line.mid(slash));
        if (path.contains(name) && !paths.contains(path))
            paths.append(path);
    }
    return paths;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
#ifdef MUSUBI_EXPECTED_PREFIX
    const QString prefix = QDir::cleanPath(QStringLiteral(MUSUBI_EXPECTED_PREFIX));
#else
    const QString prefix = u"/"_s;
#endif

    // C++: a server-side store and a client root over a loopback WebSocket.
    MusubiTestServer server;
    server.registerRoot(u"Consumer.CounterStore"_s, [](const MusubiTestMount &mount, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, mount.params.value(u"count"_s).toInt()}});
        store->onCommand(u"increment"_s, [store](const QJsonObject &) {
            store->setValue(u"count"_s, store->value(u"count"_s).toInt() + 1);
            return MusubiTestReply::noReply();
        });
        return store;
    });
    if (!server.listen())
        return fail("MusubiTestServer::listen");
    MusubiConnection connection;
    connection.setUrl(server.url());
    MusubiRoot root(&connection, u"Consumer.CounterStore"_s, u"cpp"_s, {{u"count"_s, 41}});
    root.mount();
    if (!waitFor([&] { return root.status() == MusubiRoot::Status::Live; }))
        return fail("the C++ root never went live");
    if (root.store()->value(u"count"_s).toInt() != 41)
        return fail("the C++ root has the wrong count");
    root.dispatch({}, u"increment"_s);
    if (!waitFor([&] { return root.store()->value(u"count"_s).toInt() == 42; }))
        return fail("the increment never arrived");
    std::printf("consumer: C++ link and round trip ok\n");

    // QML: `import Musubi` from the installed prefix only.
    QQmlEngine engine;
    engine.addImportPath(QStringLiteral(MUSUBI_QML_IMPORT_DIR));
    QQmlComponent component(&engine);
    component.setData(u"import QtQml\n"
                      "import Musubi\n"
                      "QtObject {\n"
                      "    id: top\n"
                      "    property MusubiConnection connection: MusubiConnection { url: \"%1\" }\n"
                      "    property MusubiRoot root: MusubiRoot {\n"
                      "        connection: top.connection\n"
                      "        module: \"Consumer.CounterStore\"\n"
                      "        instanceId: \"qml\"\n"
                      "        params: ({ count: 7 })\n"
                      "    }\n"
                      "    readonly property var store: top.root.store\n"
                      "    readonly property int count: top.store ? top.store.count : -1\n"
                      "}\n"_s.arg(server.url().toString())
                              .toUtf8(),
                      QUrl(u"consumer.qml"_s));
    std::unique_ptr<QObject> object(component.create());
    if (!object) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return fail("import Musubi");
    }
    if (!waitFor([&] { return object->property("count").toInt() == 7; }))
        return fail("the QML root never showed its count");
    const QStringList plugins = loadedFrom(u"libmusubi_qmlplugin"_s);
    if (plugins.isEmpty())
        return fail("the QML plugin was not loaded");
    for (const QString &path : plugins) {
        if (!path.startsWith(prefix)) {
            std::fprintf(stderr, "plugin %s is not under %s\n", qPrintable(path),
                         qPrintable(prefix));
            return fail("the QML plugin was not the installed one");
        }
    }
    const QStringList cores = loadedFrom(u"libMusubiCore"_s);
    if (cores.isEmpty() || !cores.constFirst().startsWith(prefix))
        return fail("libMusubiCore was not loaded from the prefix");
    std::printf("consumer: QML import ok (%s)\n", qPrintable(plugins.join(u", "_s)));
    return 0;
}

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtWidgets/QWidget>

#if defined(MUSUBI_INSPECTOR_WIDGETS_BUILD)
#define MUSUBI_INSPECTOR_WIDGETS_EXPORT Q_DECL_EXPORT
#else
#define MUSUBI_INSPECTOR_WIDGETS_EXPORT Q_DECL_IMPORT
#endif

class MusubiConnection;
class QLabel;
class QQmlEngine;
class QQuickItem;
class QQuickWidget;

class MUSUBI_INSPECTOR_WIDGETS_EXPORT MusubiInspectorWidget : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(MusubiConnection *connection READ connection WRITE setConnection NOTIFY
                       connectionChanged)
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    Q_MOC_INCLUDE("musubiconnection.h")
    Q_PROPERTY(QString errorString READ errorString NOTIFY loadedChanged)
public:
    explicit MusubiInspectorWidget(QWidget *parent = nullptr);
    explicit MusubiInspectorWidget(MusubiConnection *connection, QWidget *parent = nullptr);
    ~MusubiInspectorWidget() override;

    MusubiConnection *connection() const;
    void setConnection(MusubiConnection *connection);

    QQmlEngine *engine() const;
    QQuickWidget *quickWidget() const;
    QQuickItem *inspector();

    bool isLoaded() const;
    QString errorString() const;

    static MusubiInspectorWidget *toggleWindow(MusubiConnection *connection, QWidget *owner);

Q_SIGNALS:
    void connectionChanged();
    void loadedChanged();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void load();

    QPointer<MusubiConnection> m_connection;
    QQuickWidget *m_view;
    QLabel *m_error;
    QPointer<QQuickItem> m_inspector;
    QString m_errorString;
    bool m_triedLoad = false;
};
